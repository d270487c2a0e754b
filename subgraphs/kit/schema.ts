import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLSchema, parse, specifiedDirectives } from 'graphql';
import { buildSchema, createResolversMap } from 'type-graphql';
import { runInMutationScope } from './audit-trail';
import type { Context, SubgraphDefinition } from './subgraph';

/**
 * The federation version and the directives our subgraphs may use. One list for the whole graph:
 * a subgraph that needs another directive adds it here, so every subgraph speaks the same dialect.
 */
export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", ' +
  'import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag", "@override", "@interfaceObject"])';

/**
 * Builds a subgraph's federated schema from its type-graphql classes. Nobody writes `_service` or
 * `_entities` by hand: buildSubgraphSchema adds them from the `@key` directives on the classes.
 */
export async function buildFederatedSchema(definition: SubgraphDefinition<any>): Promise<GraphQLSchema> {
  const typeGraphqlSchema = await buildSchema({
    resolvers: definition.resolvers,
    orphanedTypes: definition.orphanedTypes,
    // Federation directives are declared by @link, not by type-graphql; composition validates them.
    skipCheck: true,
    directives: [...specifiedDirectives],
    // Inputs are checked by the class-validator decorators of kit/validation.ts on every input
    // and args class, before a resolver runs; every problem is reported at once (formatError).
    validate: { forbidUnknownValues: false, stopAtFirstError: false, validationError: { target: false, value: false } },
  });
  const typeDefs = parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(typeGraphqlSchema)}`);
  const resolvers = createResolversMap(typeGraphqlSchema) as Record<string, any>;
  // Every mutation runs in the kit's scope: what it flushes becomes audit events (audit-trail.ts).
  // Wrapped here, on the Mutation fields only, not by a global middleware around every field.
  for (const [field, resolve] of Object.entries((resolvers.Mutation ?? {}) as Record<string, Function>)) {
    if (typeof resolve !== 'function') continue;
    resolvers.Mutation[field] = (root: unknown, args: unknown, ctx: Context<any>, info: unknown) =>
      runInMutationScope({ identity: ctx.identity, action: field, requestId: ctx.requestId, traceId: ctx.traceId }, () => resolve(root, args, ctx, info));
  }
  for (const [typeName, { __resolveReference }] of Object.entries(definition.referenceResolvers ?? {})) {
    // Always a promise: @apollo/subgraph maps the representations one by one, and a synchronous
    // throw for one would leave the others' rejected promises unhandled (a crash under Node's defaults).
    const resolveReference: typeof __resolveReference = async (reference, context, info) => __resolveReference(reference, context, info);
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), __resolveReference: resolveReference };
  }
  return buildSubgraphSchema({ typeDefs, resolvers });
}
