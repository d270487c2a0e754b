import { randomUUID } from 'node:crypto';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError, Kind, parse, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { ErrorCode } from '../platform/errors';
import { IDENTITY_HEADER, REQUEST_ID_HEADER } from '../platform/identity';
import { encodePurpose, PURPOSE_HEADER } from '../platform/purpose';
import type { GatewayMetrics } from '../platform/metrics';
import { injectTraceContext } from '../platform/telemetry';
import type { GatewayContext } from './context';
import { SubgraphOverloadedError, SubgraphTimeoutError, type SubgraphClient, type SubgraphReply } from './subgraph-client';

/** What a shed request tells the caller to wait (`Retry-After`, and `retryAfterSeconds` in the error). */
export const RETRY_AFTER_SECONDS = 1;

type Outcome = 'ok' | 'error' | 'unavailable' | 'shed';

/**
 * How the gateway calls one subgraph: with the caller's identity signed for the subgraphs, the
 * request id for the logs, and a deadline. @apollo/gateway has no timeout of its own; without one
 * a hung subgraph would hang every query that touches it. The HTTP side (pool, limit, queue,
 * deduplication) is gateway/subgraph-client.ts; this is the GraphQL side. Implemented directly,
 * not on RemoteGraphQLDataSource: that builds node-fetch Headers and a Request per call, which
 * the profile showed as pure overhead.
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(
    readonly serviceName: string,
    private readonly client: SubgraphClient,
    private readonly timeoutMs: number,
    private readonly metrics?: Pick<GatewayMetrics, 'observeFetch'>,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const started = performance.now();
    // Health checks and schema loads are not traffic.
    const traffic = 'incomingRequestContext' in options;
    const observe = (outcome: Outcome) => traffic && this.metrics?.observeFetch(this.serviceName, (performance.now() - started) / 1e3, outcome);
    let reply: SubgraphReply;
    try {
      reply = await this.client.call(await this.prepare(options, started + this.timeoutMs));
    } catch (error) {
      if (error instanceof SubgraphOverloadedError) {
        observe('shed');
        // overloadPlugin turns this into HTTP 503 with Retry-After.
        throw new GraphQLError(`网关繁忙：子图 ${this.serviceName} 的待处理请求已满，本次请求未执行，请 ${RETRY_AFTER_SECONDS} 秒后重试`, {
          extensions: { code: ErrorCode.OVERLOADED, serviceName: this.serviceName, retryAfterSeconds: RETRY_AFTER_SECONDS },
        });
      }
      return failedFetch(options.request, this.unavailable(error, observe));
    }
    const body = parseBody(reply);
    const ok = reply.status >= 200 && reply.status < 300;
    if (ok && body) {
      observe(body.errors?.length ? 'error' : 'ok');
      // No Cache-Control is passed on: the subgraphs send no cache hints.
      return body;
    }
    // A subgraph that answered with GraphQL errors (e.g. 400 for a refused variable) has spoken:
    // pass its errors on with their codes. Only a subgraph that did not answer is "unavailable".
    if (body?.errors?.length) {
      observe('error');
      return { errors: body.errors };
    }
    return failedFetch(options.request, this.unavailable(ok ? new Error('not a JSON object') : { status: reply.status }, observe));
  }

  /** The request body, headers and dedup key of one call. */
  private async prepare(options: GraphQLDataSourceProcessOptions<GatewayContext>, deadline: number) {
    const { http, ...request } = options.request;
    if (!request.query) throw new Error('Missing query');
    const body = JSON.stringify(request);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    // What the gateway itself asks of the subgraph (e.g. apollo-federation-include-trace).
    if (http?.headers) for (const [name, value] of http.headers) headers[name] = value;
    const context = options.context as Partial<GatewayContext>;
    // Signed for this subgraph only: another subgraph refuses it. Without a request context (health
    // checks, schema loads) nothing is signed and the subgraph refuses the call.
    if (context.internalIdentity) headers[IDENTITY_HEADER] = await context.internalIdentity(this.serviceName);
    headers[REQUEST_ID_HEADER] = context.requestId ?? randomUUID();
    // The purpose of the request, for the subgraphs' access logs.
    if (context.purpose) headers[PURPOSE_HEADER] = encodePurpose(context.purpose);
    // Observability: the subgraph continues this request's trace (W3C traceparent).
    injectTraceContext({ set: (name, value) => (headers[name] = value) });
    // Only queries are shared, and only between callers of the same identity (what the signed
    // header says): the subgraph's answer depends on nothing else. The shared call carries the
    // first caller's request id and trace.
    const dedupKey = 'incomingRequestContext' in options && isQuery(request.query) && context.identity ? `${JSON.stringify(context.identity)}\n${context.purpose ?? ''}\n${body}` : undefined;
    return { body, headers, deadline, dedupKey };
  }

  private unavailable(error: unknown, observe: (outcome: Outcome) => void): GraphQLError {
    observe('unavailable');
    // Thrown, the error lands in the response beside the other subgraphs' data.
    return new GraphQLError(this.describe(error), {
      extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: this.serviceName },
    });
  }

  private describe(error: unknown): string {
    if (error instanceof SubgraphTimeoutError) {
      return `子图 ${this.serviceName} 响应超时（超过 ${this.timeoutMs} 毫秒），其余数据照常返回，请稍后重试`;
    }
    const status = (error as { status?: number })?.status;
    if (status) return `子图 ${this.serviceName} 返回 HTTP ${status}，其余数据照常返回`;
    return `子图 ${this.serviceName} 暂时无法访问，其余数据照常返回，请稍后重试`;
  }
}

/**
 * Whether the query planner's text for a fetch is a query: it prints the operation first, as
 * `{…}` or `query…`. (The fetch's document is only exposed with exposeDocumentNodeInFetchNode,
 * which would keep a document per fetch in every cached plan.) Anything else is not shared.
 */
const isQuery = (text: string) => /^\s*(\{|query\b)/.test(text);

/** The reply parsed (each caller sharing a call gets its own objects: the gateway merges into them). */
function parseBody(reply: SubgraphReply): (GatewayGraphQLResponse & { errors?: GatewayGraphQLResponse['errors'] }) | undefined {
  if (!/^application\/(graphql-response\+)?json/i.test(reply.contentType)) return undefined;
  try {
    const body: unknown = JSON.parse(reply.text);
    return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as GatewayGraphQLResponse) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A request a subgraph call of which was shed (OVERLOADED) is answered 503 with `Retry-After`:
 * clients and load balancers back off and retry instead of waiting for a deadline.
 */
export function overloadPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          if (!response.body.singleResult.errors?.some((e) => e.extensions?.code === ErrorCode.OVERLOADED)) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
        },
      };
    },
  };
}

/**
 * A subgraph that did not answer an `_entities` fetch: its fields are null for every entity, with
 * the error — GraphQL's own meaning of a failed nullable field. Thrown instead, @apollo/gateway
 * would leave them undefined and then drop those entities from any fetch that `@requires` them
 * (executeQueryPlan's executeSelectionSet: undefined input → no representation), so a resolver
 * that must see the failure (the joint audit: never PASS on a source that was down) would not run.
 * Any other fetch still throws.
 */
export function failedFetch(request: GraphQLDataSourceProcessOptions['request'], error: GraphQLError): GatewayGraphQLResponse {
  const representations = request.variables?.representations;
  const fields = Array.isArray(representations) && request.query ? entityFields(request.query) : undefined;
  if (!fields) throw error;
  const _entities = representations.map((representation: { __typename?: unknown }) => {
    const typename = String(representation?.__typename);
    const entity: Record<string, unknown> = { __typename: typename };
    for (const name of [...(fields.get('') ?? []), ...(fields.get(typename) ?? [])]) if (name !== '__typename') entity[name] = null;
    return entity;
  });
  return { data: { _entities }, errors: [{ message: error.message, extensions: error.extensions }] };
}

/** Per fetch text (the planner's, a bounded set): response names under `_entities`, by type ('' = any type). */
const entityFieldsCache = new Map<string, Map<string, string[]> | null>();
const ENTITY_FIELDS_CACHE_MAX = 1000;

function entityFields(query: string): Map<string, string[]> | undefined {
  let fields = entityFieldsCache.get(query);
  if (fields === undefined) {
    fields = parseEntityFields(query);
    if (entityFieldsCache.size >= ENTITY_FIELDS_CACHE_MAX) entityFieldsCache.delete(entityFieldsCache.keys().next().value!);
    entityFieldsCache.set(query, fields);
  }
  return fields ?? undefined;
}

function parseEntityFields(query: string): Map<string, string[]> | null {
  let document;
  try {
    document = parse(query, { noLocation: true });
  } catch {
    return null;
  }
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION || operation.operation !== 'query') return null;
  const entities = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD && s.name.value === '_entities');
  if (!entities || entities.kind !== Kind.FIELD || !entities.selectionSet) return null;
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const byType = new Map<string, string[]>();
  const collect = (set: SelectionSetNode, type: string, depth: number) => {
    if (depth > 10) return;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const names = byType.get(type) ?? [];
        names.push(selection.alias?.value ?? selection.name.value);
        byType.set(type, names);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet, selection.typeCondition?.name.value ?? type, depth + 1);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet, fragment.typeCondition.name.value, depth + 1);
      }
    }
  };
  collect(entities.selectionSet, '', 0);
  return byType;
}
