import { randomUUID } from 'node:crypto';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../platform/errors';
import { IDENTITY_HEADER, REQUEST_ID_HEADER } from '../platform/identity';
import type { GatewayMetrics } from '../platform/metrics';
import { injectTraceContext } from '../platform/telemetry';
import type { GatewayContext } from './context';

/**
 * How the gateway calls one subgraph: with the caller's identity signed for the subgraphs, the
 * request id for the logs, and a deadline. @apollo/gateway has no timeout of its own; without one
 * a hung subgraph would hang every query that touches it.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    readonly serviceName: string,
    url: string,
    private readonly timeoutMs: number,
    private readonly metrics?: Pick<GatewayMetrics, 'observeFetch'>,
  ) {
    super({ url });
    this.fetcher = ((input: string, init: RequestInit) =>
      fetch(input, { ...init, signal: AbortSignal.timeout(this.timeoutMs) })) as unknown as typeof this.fetcher;
  }

  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const headers = options.request.http?.headers;
    if (!headers) return;
    const context = options.context as Partial<GatewayContext>;
    // Signed for this subgraph only: another subgraph refuses it. Without a request context (no
    // such call today) nothing is signed and the subgraph refuses the call.
    if (context.internalIdentity) headers.set(IDENTITY_HEADER, await context.internalIdentity(this.serviceName));
    headers.set(REQUEST_ID_HEADER, context.requestId ?? randomUUID());
    // Observability: the subgraph continues this request's trace (W3C traceparent).
    injectTraceContext(headers);
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const started = process.hrtime.bigint();
    // Health checks and schema loads are not traffic.
    const observe = (outcome: 'ok' | 'error' | 'unavailable') =>
      'incomingRequestContext' in options &&
      this.metrics?.observeFetch(this.serviceName, Number(process.hrtime.bigint() - started) / 1e9, outcome);
    try {
      const response = await super.process(options);
      observe(response.errors?.length ? 'error' : 'ok');
      return response;
    } catch (error) {
      // A subgraph that answered with GraphQL errors (e.g. 400 for a refused variable) has spoken:
      // pass its errors on with their codes. Only a subgraph that did not answer is "unavailable".
      const body = (error as { extensions?: { response?: { body?: { errors?: unknown[] } } } })?.extensions?.response?.body;
      if (body && Array.isArray(body.errors) && body.errors.length) {
        observe('error');
        return { errors: body.errors as never };
      }
      observe('unavailable');
      // Thrown here, the error lands in the response beside the other subgraphs' data.
      throw new GraphQLError(this.describe(error), {
        extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: this.serviceName },
      });
    }
  }

  private describe(error: unknown): string {
    const name = (error as { name?: string })?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return `子图 ${this.serviceName} 响应超时（超过 ${this.timeoutMs} 毫秒），其余数据照常返回，请稍后重试`;
    }
    const status = (error as { extensions?: { response?: { status?: number } } })?.extensions?.response?.status;
    if (status) return `子图 ${this.serviceName} 返回 HTTP ${status}，其余数据照常返回`;
    return `子图 ${this.serviceName} 暂时无法访问，其余数据照常返回，请稍后重试`;
  }
}
