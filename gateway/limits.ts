/**
 * Abuse limits the gateway applies before it plans a query. @apollo/gateway has no depth, alias
 * or cost limits of its own, so these are graphql-js validation rules (ApolloServer
 * `validationRules`) plus the parser's token limit (ApolloServer `parseOptions: { maxTokens }`):
 * a refused document never reaches the query planner or a subgraph.
 *
 * The model, computed in one walk per operation (fragments are expanded where they are spread,
 * each fragment computed once and memoized):
 *
 * - Depth: how many fields deep the deepest path goes (`{ a { b } }` is 2). Inline fragments and
 *   fragment spreads add no level of their own; the fields inside them do.
 * - Aliases: how many aliased fields the operation contains once fragments are expanded (a
 *   fragment spread twice counts twice) — 1000 aliases of one field is a classic batching attack.
 * - Cost: every field costs 1, `__typename` 0. A field returning a list, or a connection (a type
 *   named *Connection or with `pageInfo`, having an `edges`/`nodes` list), multiplies the cost
 *   of its sub-selection by its page size: the largest of its `first`, `last` and `limit`
 *   arguments. Validation sees no variable values, so for a variable we take its declared
 *   default, else `defaultListSize`; for an omitted argument the schema's default, else
 *   `defaultListSize` (resolvers cap page sizes anyway, see kit/pagination checkPageSize). The
 *   `edges`/`nodes` of a connection are not multiplied again (the connection field already was).
 *   Fields selected twice, and both branches of `... on A` / `... on B`, are all counted: an
 *   over-estimate, which is the safe side.
 * - Introspection (`__schema`, `__type` and everything under them) is exempt from depth and cost:
 *   the in-browser IDE's introspection query is deep but cheap. Its aliases still count.
 *
 * Each refused operation gets one error per exceeded limit, code QUERY_TOO_COMPLEX.
 */
import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import { AppError, ErrorCode } from '../platform/errors';

export interface QueryLimits {
  /** Deepest field nesting allowed. */
  maxDepth: number;
  /** Aliased fields allowed per operation (fragments expanded). */
  maxAliases: number;
  /** Estimated cost allowed per operation (see the model above). */
  maxCost: number;
  /** Lexical tokens the parser accepts; pass as ApolloServer `parseOptions.maxTokens`. */
  maxTokens: number;
  /** Page size assumed for a list when no page-size argument value is known. */
  defaultListSize: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = Object.freeze({
  maxDepth: 12,
  maxAliases: 30,
  maxCost: 5000,
  maxTokens: 4000,
  defaultListSize: 20,
});

const PAGE_SIZE_ARGS = new Set(['first', 'last', 'limit']);
const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);
/** Keeps absurd estimates (1000^12) a readable number in the message. */
const COST_CAP = Number.MAX_SAFE_INTEGER;

interface Measure {
  depth: number;
  aliases: number;
  cost: number;
}

type Limit = 'depth' | 'aliases' | 'cost';

const ZERO: Measure = { depth: 0, aliases: 0, cost: 0 };

function checkLimits(limits: QueryLimits): void {
  for (const key of ['maxDepth', 'maxAliases', 'maxCost', 'maxTokens', 'defaultListSize'] as const) {
    const value = limits[key];
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`QueryLimits.${key} must be a positive integer, got ${String(value)}`);
    }
  }
}

/** The rules to add to ApolloServer's `validationRules` (token limit goes in `parseOptions`). */
export function createLimitRules(limits: QueryLimits): ValidationRule[] {
  checkLimits(limits);
  return [(context) => queryLimitsVisitor(context, limits)];
}

function queryLimitsVisitor(context: ValidationContext, limits: QueryLimits): ASTVisitor {
  return {
    OperationDefinition(operation) {
      const measure = new OperationWalker(context, operation, limits).measure();
      const refusals: Array<[Limit, number, number]> = [
        ['depth', limits.maxDepth, measure.depth],
        ['aliases', limits.maxAliases, measure.aliases],
        ['cost', limits.maxCost, measure.cost],
      ];
      for (const [limit, max, actual] of refusals) {
        if (actual > max) context.reportError(tooComplex(limit, max, actual, operation));
      }
      // The walk above already covered the operation; the visitor need not descend.
      return false;
    },
    // Fragments are measured where they are spread, not on their own.
    FragmentDefinition: () => false,
  };
}

const MESSAGES: Record<Limit, (max: number, actual: number) => string> = {
  depth: (max, actual) => `查询嵌套过深：深度 ${actual} 超过上限 ${max}，请减少嵌套层级或拆分查询`,
  aliases: (max, actual) => `查询别名过多：共 ${actual} 个别名，超过上限 ${max}，请减少别名或拆分为多次请求`,
  cost: (max, actual) =>
    `查询代价过高：估算代价 ${actual} 超过上限 ${max}，请减小分页参数（first/last/limit）、减少嵌套的列表字段或拆分查询`,
};

function tooComplex(limit: Limit, max: number, actual: number, operation: OperationDefinitionNode): GraphQLError {
  const message = MESSAGES[limit](max, actual);
  const details = { limit, max, actual };
  // AppError cannot carry a location, so it rides as originalError of a located GraphQLError.
  // Apollo re-codes every validation error GRAPHQL_VALIDATION_FAILED but keeps originalError,
  // from which the graph's formatError lifts QUERY_TOO_COMPLEX and these details back up.
  return new GraphQLError(message, {
    nodes: [operation],
    extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, ...details },
    originalError: new AppError(ErrorCode.QUERY_TOO_COMPLEX, message, details),
  });
}

/**
 * Measures one operation. Fragment results are memoized per operation, since a fragment's page
 * sizes may come from the operation's variable defaults.
 */
class OperationWalker {
  private readonly schema: GraphQLSchema;
  private readonly fragmentMemo = new Map<string, Measure>();
  /** Fragments being expanded right now: a spread of one of these is a cycle. */
  private readonly expanding = new Set<string>();
  private readonly variableDefaults = new Map<string, ValueNode | undefined>();

  constructor(
    private readonly context: ValidationContext,
    private readonly operation: OperationDefinitionNode,
    private readonly limits: QueryLimits,
  ) {
    this.schema = context.getSchema();
    for (const definition of operation.variableDefinitions ?? []) {
      this.variableDefaults.set(definition.variable.name.value, definition.defaultValue);
    }
  }

  measure(): Measure {
    const root = this.schema.getRootType(this.operation.operation) ?? undefined;
    return this.selectionSet(this.operation.selectionSet, root);
  }

  /** Sums cost and aliases of the selections, and takes their deepest depth. */
  private selectionSet(selectionSet: SelectionSetNode, parentType: GraphQLNamedType | undefined): Measure {
    let depth = 0;
    let aliases = 0;
    let cost = 0;
    for (const selection of selectionSet.selections) {
      let m: Measure;
      switch (selection.kind) {
        case Kind.FIELD:
          m = this.field(selection, parentType);
          break;
        case Kind.INLINE_FRAGMENT: {
          const type = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parentType;
          m = this.selectionSet(selection.selectionSet, type ?? undefined);
          break;
        }
        case Kind.FRAGMENT_SPREAD:
          m = this.fragment(selection.name.value);
          break;
      }
      depth = Math.max(depth, m.depth);
      aliases += m.aliases;
      cost = Math.min(cost + m.cost, COST_CAP);
    }
    return { depth, aliases, cost };
  }

  private fragment(name: string): Measure {
    const memo = this.fragmentMemo.get(name);
    if (memo) return memo;
    // A cycle (reported by graphql's NoFragmentCycles) or an unknown fragment (KnownFragmentNames)
    // adds nothing; the walk must only terminate.
    if (this.expanding.has(name)) return ZERO;
    const definition: FragmentDefinitionNode | null | undefined = this.context.getFragment(name);
    if (!definition) return ZERO;
    this.expanding.add(name);
    const type = this.schema.getType(definition.typeCondition.name.value) ?? undefined;
    const m = this.selectionSet(definition.selectionSet, type);
    this.expanding.delete(name);
    this.fragmentMemo.set(name, m);
    return m;
  }

  private field(node: FieldNode, parentType: GraphQLNamedType | undefined): Measure {
    const name = node.name.value;
    const alias = node.alias ? 1 : 0;
    if (name === '__typename') return { depth: 1, aliases: alias, cost: 0 };

    const fieldDef = fieldOf(parentType, name);
    const sub = node.selectionSet
      ? this.selectionSet(node.selectionSet, fieldDef ? getNamedType(fieldDef.type) : undefined)
      : ZERO;
    if (INTROSPECTION_FIELDS.has(name)) return { depth: 0, aliases: alias + sub.aliases, cost: 0 };

    const multiplier = node.selectionSet ? this.pageSize(node, fieldDef, parentType) : 1;
    return {
      depth: 1 + sub.depth,
      aliases: alias + sub.aliases,
      cost: Math.min(1 + multiplier * sub.cost, COST_CAP),
    };
  }

  /** How many items a list or connection field returns at most, as far as validation can know. */
  private pageSize(
    node: FieldNode,
    fieldDef: GraphQLField<unknown, unknown> | undefined,
    parentType: GraphQLNamedType | undefined,
  ): number {
    if (!fieldDef) return 1;
    const returnsList = isListType(getNullableType(fieldDef.type));
    const returnsConnection = !returnsList && isConnection(getNamedType(fieldDef.type));
    if (!returnsList && !returnsConnection) return 1;
    // The connection around these was already multiplied by its page size.
    if ((fieldDef.name === 'edges' || fieldDef.name === 'nodes') && isConnection(parentType)) return 1;

    let size: number | undefined;
    const given = new Set<string>();
    for (const argument of node.arguments ?? []) {
      if (!PAGE_SIZE_ARGS.has(argument.name.value)) continue;
      given.add(argument.name.value);
      const value = this.intValue(argument.value);
      size = Math.max(size ?? 0, value ?? this.limits.defaultListSize);
    }
    for (const arg of fieldDef.args) {
      if (!PAGE_SIZE_ARGS.has(arg.name) || given.has(arg.name)) continue;
      if (Number.isInteger(arg.defaultValue)) size = Math.max(size ?? 0, arg.defaultValue as number);
    }
    // At least 1: `first: 0` is refused by the resolver anyway and must not make a subtree free.
    return Math.max(1, size ?? this.limits.defaultListSize);
  }

  /** A literal int, or a variable's declared default; undefined when unknown at validation time. */
  private intValue(value: ValueNode): number | undefined {
    if (value.kind === Kind.VARIABLE) {
      const fallback = this.variableDefaults.get(value.name.value);
      return fallback && fallback.kind === Kind.INT ? Number(fallback.value) : undefined;
    }
    return value.kind === Kind.INT ? Number(value.value) : undefined;
  }
}

function fieldOf(type: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
}

/**
 * Relay-style or our `XConnection { nodes, pageInfo, totalCount }`: an `edges` or `nodes` list,
 * on a type named *Connection or having `pageInfo` — so that e.g. `Query.nodes(ids:)` or a tree
 * type's `nodes` child list is not mistaken for a connection (and left un-multiplied).
 */
function isConnection(type: GraphQLNamedType | undefined): boolean {
  if (!isObjectType(type) && !isInterfaceType(type)) return false;
  const fields = type.getFields();
  if (!type.name.endsWith('Connection') && fields.pageInfo === undefined) return false;
  return ['edges', 'nodes'].some((name) => fields[name] !== undefined && isListType(getNullableType(fields[name].type)));
}
