/**
 * Query limits, one configuration for the gateway and every subgraph (a second wall: a subgraph
 * reached directly refuses what the gateway would). Libraries do the measuring:
 *
 * - depth, aliases, directives: @escape.tech/graphql-armor validation rules (fragments expanded
 *   where spread, a fragment adds no depth level of its own, `__schema` exempt from depth so the
 *   IDE's introspection passes). A refused document is never planned nor executed.
 * - tokens: graphql-js's parser limit (`parseOptions.maxTokens`, what armor's token rule wraps;
 *   armor's Apollo token plugin re-parses every document in a hook whose throw Apollo 5 turns into
 *   a 500, so the parser's own limit is used).
 * - cost: graphql-query-complexity `getComplexity`, in `didResolveOperation`, i.e. once the
 *   request's variables are known: `first: $n` costs what `$n` is, not its default.
 * - size: bodies over 1 MB are refused by platform/http.ts (413) before any of this.
 *
 * Cost model (estimator below): every field 1, `__typename` and introspection 0. A field returning
 * a list, or a connection (a type named *Connection, or with `pageInfo`, having an `edges`/`nodes`
 * list), costs 1 + page size × its sub-selection; the page size is the largest of its `first`,
 * `last`, `limit` arguments (variables and schema defaults applied), else `defaultListSize`. A
 * connection's `edges`/`nodes` are not multiplied again. `_entities` (a subgraph's federation
 * entry point) multiplies by the number of representations the gateway sent; a list asked for by
 * keys (`enterprisesByCreditCodes(creditCodes: […])`) by the number of keys. A field of a
 * FLAT_COST_TYPES value type costs 1 whatever is selected inside it: its value is computed from
 * records already loaded (one batched lookup per request), so 1,000 joint audits cost about 2,000
 * — through, while 30 aliases of them (60,000) are not.
 *
 * Every refusal is HTTP 400 with `extensions: { code: QUERY_TOO_COMPLEX, limit, max, actual }`.
 */
import type { ApolloServerOptions, ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
// Apollo's own bounded cache (what Apollo Server and @apollo/gateway use by default, unsized).
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import {
  GraphQLError,
  Kind,
  Lexer,
  Source,
  TokenKind,
  getNamedType,
  getNullableType,
  getVariableValues,
  isInterfaceType,
  isListType,
  isObjectType,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { AppError, ErrorCode, formatError } from './errors';

export interface QueryLimits {
  /** Deepest field nesting allowed. */
  maxDepth: number;
  /** Aliased fields allowed per operation (fragments expanded). */
  maxAliases: number;
  /** Estimated cost allowed per operation (see the model above). */
  maxCost: number;
  /** Lexical tokens the parser accepts. */
  maxTokens: number;
  /** Directives (`@include`, `@skip`, …) allowed per operation (fragments expanded). */
  maxDirectives: number;
  /** Page size assumed for a list when no page-size argument value is known. */
  defaultListSize: number;
}

export type Limit = 'depth' | 'aliases' | 'cost' | 'tokens' | 'directives' | 'fields';

export const DEFAULT_QUERY_LIMITS: QueryLimits = Object.freeze({
  maxDepth: 12,
  maxAliases: 30,
  maxCost: 5000,
  maxTokens: 4000,
  maxDirectives: 50,
  defaultListSize: 20,
});

/**
 * graphql-query-complexity walks fragments each time they are spread; this bounds that walk
 * (a fragment fan-out within the depth limit is still exponential). Far above any real query.
 */
const MAX_EXPANDED_FIELDS = 10_000;

const PAGE_SIZE_ARGS = ['first', 'last', 'limit'];
/** Keeps absurd estimates (1000^12) a readable number in the message. */
const COST_CAP = Number.MAX_SAFE_INTEGER;

/** Configured values (env, all optional) over the defaults, checked. */
export function resolveQueryLimits(configured: Partial<Record<keyof QueryLimits, number | undefined>> = {}): QueryLimits {
  const limits = { ...DEFAULT_QUERY_LIMITS };
  for (const key of Object.keys(limits) as (keyof QueryLimits)[]) {
    const value = configured[key] ?? limits[key];
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`QueryLimits.${key} must be a positive integer, got ${String(value)}`);
    }
    limits[key] = value;
  }
  return limits;
}

const MESSAGES: Record<Limit, (max: number, actual: number) => string> = {
  depth: (max, actual) => `查询嵌套过深：深度 ${actual} 超过上限 ${max}，请减少嵌套层级或拆分查询`,
  aliases: (max, actual) => `查询别名过多：共 ${actual} 个别名，超过上限 ${max}，请减少别名或拆分为多次请求`,
  directives: (max, actual) => `查询指令过多：共 ${actual} 个指令（@include、@skip 等），超过上限 ${max}，请精简查询`,
  tokens: (max, actual) => `查询过长：共 ${actual} 个词法单元，超过上限 ${max}，请精简查询或拆分为多个请求`,
  cost: (max, actual) =>
    `查询代价过高：估算代价 ${actual} 超过上限 ${max}，请减小分页参数（first/last/limit）、减少嵌套的列表字段或拆分查询`,
  fields: (max) => `查询展开后的字段过多：片段展开后超过 ${max} 个字段，请减少片段的重复引用或拆分查询`,
};

/** The one refusal shape. `actual` for `fields` is a lower bound: the walk stops at the limit. */
export function tooComplex(limit: Limit, max: number, actual: number): AppError {
  return new AppError(ErrorCode.QUERY_TOO_COMPLEX, MESSAGES[limit](max, actual), { limit, max, actual });
}

/**
 * Armor reports "Syntax Error: Query depth limit of 12 exceeded, found 13." (with its default
 * `exposeLimits`); the handler turns that into our shape, reported on the validation context.
 * The AppError rides as originalError: Apollo re-codes every validation error
 * GRAPHQL_VALIDATION_FAILED, and formatError lifts the inner code and details back up.
 */
function reportAs(limit: Limit, max: number): (context: ValidationContext | null, error: GraphQLError) => void {
  return (context, error) => {
    const actual = Number(/found (\d+)/.exec(error.message)?.[1] ?? max + 1);
    const refusal = tooComplex(limit, max, actual);
    context?.reportError(new GraphQLError(refusal.message, { extensions: refusal.extensions, originalError: refusal }));
  };
}

/** Depth, aliases and directives as graphql-js validation rules; field suggestions masked in production. */
function armor(limits: QueryLimits, production: boolean): { validationRules: ValidationRule[]; plugins: ApolloServerPlugin[] } {
  const rule = (limit: Limit, n: number) => ({ n, propagateOnRejection: false, onReject: [reportAs(limit, n)] });
  const { validationRules, plugins } = new ApolloArmor({
    maxDepth: { ...rule('depth', limits.maxDepth), flattenFragments: true, ignoreIntrospection: true },
    maxAliases: rule('aliases', limits.maxAliases),
    maxDirectives: rule('directives', limits.maxDirectives),
    // Suggestions are masked for every kind of name in queryGuard's formatError (armor's covers fields only).
    blockFieldSuggestion: { enabled: false },
    // Cost is computed below, with the variables; tokens by the parser (see the header).
    costLimit: { enabled: false },
    maxTokens: { enabled: false },
  }).protect();
  return { validationRules, plugins };
}

/**
 * Relay-style or our `XConnection { nodes, pageInfo, totalCount }`: an `edges` or `nodes` list,
 * on a type named *Connection or having `pageInfo` — so that a plain `nodes` list elsewhere is
 * not mistaken for a connection (and left un-multiplied).
 */
function isConnection(type: GraphQLNamedType | undefined): boolean {
  if (!isObjectType(type) && !isInterfaceType(type)) return false;
  const fields = type.getFields();
  if (!type.name.endsWith('Connection') && fields.pageInfo === undefined) return false;
  return ['edges', 'nodes'].some((name) => fields[name] !== undefined && isListType(getNullableType(fields[name].type)));
}

/**
 * Value types whose whole subtree is in memory once the field is resolved: a source's findings
 * (CONTRACT §3, one batched statement per source) and the joint audit's verdict (computed from
 * them), and the policy calculator's entries (computed from the published catalog, loaded once
 * per request). Their inner lists are short and cost no fetch of their own.
 */
export const FLAT_COST_TYPES: ReadonlySet<string> = new Set(['SourceFindings', 'JointAuditVerdict', 'EligiblePolicy', 'ScreeningEntryView']);

/** The cost model of the header, as a graphql-query-complexity estimator. */
export function costEstimator(defaultListSize: number): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) => {
    // __typename, __schema, __type, and everything under the latter two.
    if (field.name.startsWith('__') || type.name.startsWith('__')) return 0;
    if (FLAT_COST_TYPES.has(getNamedType(field.type).name)) return 1;
    let size = 1;
    if (field.name === '_entities' && Array.isArray(args.representations)) {
      size = args.representations.length;
    } else if (isListType(getNullableType(field.type)) || isConnection(getNamedType(field.type))) {
      const connectionItems = (field.name === 'edges' || field.name === 'nodes') && isConnection(type);
      if (!connectionItems) {
        const given = PAGE_SIZE_ARGS.map((name) => args[name]).filter((v): v is number => Number.isInteger(v));
        const keys = Object.values(args).filter(Array.isArray).map((list) => list.length);
        size = given.length ? Math.max(...given) : keys.length ? Math.max(...keys) : defaultListSize;
      }
    }
    // At least 1: `first: 0` is refused by the resolver anyway and must not make a subtree free.
    return Math.min(1 + Math.max(1, size) * childComplexity, COST_CAP);
  };
}

/**
 * The cost of the operation the request runs, with its variables; a refusal, or undefined when it
 * is within `limits`. Variables that do not coerce are left to execution, which refuses them
 * with its own BAD_USER_INPUT before anything is fetched.
 */
export function checkCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  limits: QueryLimits,
): AppError | undefined {
  if (getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}).errors) return undefined;
  // Only this operation (and the fragments): the library would walk every operation of the document.
  const query: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [operation, ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)],
  };
  let cost: number;
  try {
    cost = getComplexity({ schema, query, variables, estimators: [costEstimator(limits.defaultListSize)], maxQueryNodes: MAX_EXPANDED_FIELDS });
  } catch {
    // The one thing left to throw once variables coerce and the document validated: the walk limit.
    return tooComplex('fields', MAX_EXPANDED_FIELDS, MAX_EXPANDED_FIELDS + 1);
  }
  return cost > limits.maxCost ? tooComplex('cost', limits.maxCost, cost) : undefined;
}

/** Variable sets remembered per document, and the longest (JSON) worth remembering. */
const COST_MEMO_PER_DOCUMENT = 64;
const COST_MEMO_MAX_KEY = 1024;

/**
 * The cost is a function of (schema, document, operation, variables) alone, and Apollo's document
 * store hands every request of a query the same DocumentNode: so it is computed once per
 * operation and variable set, not per request (it was ~5 % of the bench's CPU). Kept beside the
 * document (WeakMap: gone when the store evicts it), a few variable sets each; long variables
 * (`_entities` representations) rarely repeat and are costed each time.
 */
function memoizedCost(limits: QueryLimits) {
  const memo = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, AppError | null>>>();
  return (schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined) => {
    const key = `${operation.name?.value ?? ''}\n${JSON.stringify(variables ?? {})}`;
    if (key.length > COST_MEMO_MAX_KEY) return checkCost(schema, document, operation, variables, limits);
    let documents = memo.get(schema);
    if (!documents) memo.set(schema, (documents = new WeakMap()));
    let known = documents.get(document);
    if (!known) documents.set(document, (known = new Map()));
    let result = known.get(key);
    if (result === undefined) {
      result = checkCost(schema, document, operation, variables, limits) ?? null;
      if (known.size >= COST_MEMO_PER_DOCUMENT) known.delete(known.keys().next().value!);
      known.set(key, result);
    }
    return result ?? undefined;
  };
}

function costPlugin(limits: QueryLimits): ApolloServerPlugin<BaseContext> {
  const cost = memoizedCost(limits);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return; // execution reports the unknown operation name
          const refusal = cost(schema, document, operation, request.variables);
          // 400 like the refusals at validation (Apollo strips `http` from what the client sees).
          if (refusal) throw new GraphQLError(refusal.message, { extensions: { ...refusal.extensions, http: { status: 400 } }, originalError: refusal });
        },
      };
    },
  };
}

/** How many tokens a refused document has, for the message; the parser stopped at the limit. */
function countTokens(body: string): number {
  const lexer = new Lexer(new Source(body));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) count++;
  } catch {
    // A lexical error further on: the count so far is what the parser would have seen.
  }
  return count;
}

// graphql 16 says "more that"; a fixed typo must not unmap it.
const TOKEN_LIMIT = /^Syntax Error: Document contains more th\w+ (\d+) tokens/;

/**
 * The graph's formatError, plus graphql-js's English token-limit parse error in the refusal
 * shape (the other limits already carry it).
 */
export function formatLimitError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const tokens = TOKEN_LIMIT.exec(formatted.message);
  if (tokens) {
    const body = (error as GraphQLError).source?.body;
    const max = Number(tokens[1]);
    const { message, extensions } = tooComplex('tokens', max, body ? countTokens(body) : max + 1);
    return { message, extensions };
  }
  return formatError(formatted, error);
}

/**
 * Introspection is off in production, so "Did you mean …" would be the schema's last leak:
 * graphql-js suggests fields, arguments, types and enum values alike; all are hidden.
 */
const SUGGESTION = /\s*Did you mean [^?]*\?/;
export function withoutSuggestions(format: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const shown = format(formatted, error);
    return SUGGESTION.test(shown.message) ? { ...shown, message: shown.message.replace(SUGGESTION, '') } : shown;
  };
}

export interface QueryGuardOptions {
  limits: QueryLimits;
  /** Production masks "Did you mean …" field suggestions. */
  production: boolean;
  /** Ceiling of each cache, in bytes (approximate: JSON size of what is cached). */
  cacheMaxBytes: number;
  /** Automatic persisted queries on (false → PERSISTED_QUERY_NOT_SUPPORTED). */
  persistedQueries: boolean;
}

export interface QueryGuard<C extends BaseContext> {
  /** Spread into `new ApolloServer({...})`. */
  serverOptions: Pick<ApolloServerOptions<C>, 'validationRules' | 'parseOptions' | 'documentStore' | 'persistedQueries' | 'formatError'>;
  /** Add to the server's plugins. */
  plugins: ApolloServerPlugin<C>[];
  /** For @apollo/gateway's `queryPlannerConfig.cache`. */
  planCache: InMemoryLRUCache<any>;
  /** The bounded caches, for tests and metrics. */
  caches: { documents: InMemoryLRUCache<DocumentNode>; plans: InMemoryLRUCache<any>; persistedQueries?: InMemoryLRUCache<string> };
}

/** A byte-bounded LRU: unique operations from anonymous callers evict old ones, never grow past it. */
export function boundedCache<T>(maxBytes: number): InMemoryLRUCache<T> {
  return new InMemoryLRUCache<T>({ maxSize: maxBytes, sizeCalculation: InMemoryLRUCache.sizeCalculation });
}

/** Approximate bytes held by one of the caches (the measure its bound uses). */
export async function cacheBytes(cache: InMemoryLRUCache<any>): Promise<number> {
  let total = 0;
  for (const key of cache.keys()) total += InMemoryLRUCache.sizeCalculation(await cache.get(key));
  return total;
}

/** Everything an Apollo server (gateway or subgraph) needs to apply the limits. */
export function queryGuard<C extends BaseContext>(options: QueryGuardOptions): QueryGuard<C> {
  const { validationRules, plugins } = armor(options.limits, options.production);
  const documents = boundedCache<DocumentNode>(options.cacheMaxBytes);
  const plans = boundedCache<any>(options.cacheMaxBytes);
  const persistedQueries = options.persistedQueries ? boundedCache<string>(options.cacheMaxBytes) : undefined;
  return {
    serverOptions: {
      validationRules,
      parseOptions: { maxTokens: options.limits.maxTokens },
      documentStore: documents,
      persistedQueries: persistedQueries ? { cache: persistedQueries } : false,
      formatError: options.production ? withoutSuggestions(formatLimitError) : formatLimitError,
    },
    plugins: [...(plugins as ApolloServerPlugin<C>[]), costPlugin(options.limits) as ApolloServerPlugin<C>],
    planCache: plans,
    caches: { documents, plans, persistedQueries },
  };
}
