import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EntityManager } from '@mikro-orm/core';
import type { MigrationObject } from '@mikro-orm/core';
import type { GraphQLResolveInfo } from 'graphql';
import type { NonEmptyArray } from 'type-graphql';
import type { Identity } from '../../platform/identity';
import type { Logger } from '../../platform/logger';
import type { Job } from './jobs';
import type { Consumer } from './events/types';
import type { Services } from './services';


export interface SeedOptions {
  /** Load demo data (into empty tables only). */
  demo: boolean;
  /** Size of the deterministic demo population every subgraph derives its records from. */
  demoEnterprises: number;
}

/** What a resolver sees: built fresh for every request, never shared between requests. */
export interface Context<L = unknown> {
  em: EntityManager;
  loaders: L;
  identity: Identity;
  requestId: string;
  log: Logger;
  /** The `x-qinqing-purpose` header: the case or screening the request serves (access log). */
  purpose?: string;
  /** The request's trace id, when traced (events carry it). */
  traceId?: string;
  /**
   * The graph client and clock (kit/services.ts) as they are when the request arrives: the graph
   * client exists once the gateway listens; use `nowOf(ctx.services)` for the time of a change.
   */
  services: Services;
}

/**
 * Federation entity resolvers by type name. Method syntax on purpose: each resolver declares the
 * representation it reads (`{ creditCode: string }`) and checks it, since representations arrive
 * as `_Any`.
 */
export interface ReferenceResolver<C> {
  __resolveReference(reference: Record<string, unknown>, context: C, info: GraphQLResolveInfo): unknown;
}
export type ReferenceResolvers<C> = Record<string, ReferenceResolver<C>>;

/**
 * Everything the kit needs to know about a subgraph. A subgraph folder exports one of these from
 * its `index.ts`; the kit turns it into a schema, a database and a server.
 */
export interface SubgraphDefinition<L = unknown> {
  /** Stable name: the service name in the supergraph, the SQLite file, the PostgreSQL schema. */
  name: string;
  /** Who owns it, for people reading `schema/` and the README. */
  owner: string;
  /** Owning department abbreviation from platform/directory.ts, e.g. 'TAX', 'ENV' (events carry it). */
  department?: string;
  /** Readers of events (audit store, projections …); run on this subgraph's database. See docs/events.md. */
  consumers?: Consumer<any>[];
  /** type-graphql resolver classes. */
  resolvers: NonEmptyArray<Function>;
  /** Types no resolver returns directly but the schema must carry (e.g. entity stubs). */
  orphanedTypes?: Function[];
  /** Federation entity resolvers: `{ Enterprise: { __resolveReference } }`. Batch them via loaders. */
  referenceResolvers?: ReferenceResolvers<Context<L>>;
  /** MikroORM entities stored by this subgraph, in its own database/schema. */
  entities: Function[];
  /** Committed migrations per driver; PostgreSQL is the source of truth. */
  migrations: { sqlite: MigrationObject[]; postgresql: MigrationObject[] };
  /** Per-request DataLoaders. */
  createLoaders(em: EntityManager, identity: Identity): L;
  /**
   * Runs at every start, in one transaction: reference data every deployment needs and, with
   * `demo`, deterministic demo data. Must leave existing data alone (idempotent).
   */
  seed?(em: EntityManager, options: SeedOptions): Promise<void>;
  /** Downloads by name: `GET /exports/<name>` (see ExportHandler). */
  exports?: Record<string, ExportHandler<any>>;
  /** Periodic work of this subgraph's own (kit/jobs.ts), started by main.ts beside the event relays. */
  jobs?: Job[];
}

/**
 * A download served at `GET /exports/<name>` of the subgraph (the gateway proxies
 * `GET /exports/<subgraph>/<name>` to it). The kit has verified the gateway-signed identity and
 * built the request's context, as for /graphql; the handler authorizes, then writes the response
 * (streamed, e.g. CSV or XLSX). An AppError thrown before anything is written becomes a JSON error
 * with its code and the matching HTTP status.
 */
export type ExportHandler<L = unknown> = (request: { req: IncomingMessage; res: ServerResponse; query: URLSearchParams; context: Context<L> }) => Promise<void>;

export function defineSubgraph<L>(definition: SubgraphDefinition<L>): SubgraphDefinition<L> {
  return definition;
}
