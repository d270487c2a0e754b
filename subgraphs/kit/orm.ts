import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MikroORM, type Options, type LogContext, type LoggerNamespace } from '@mikro-orm/core';
import { BetterSqliteDriver } from '@mikro-orm/better-sqlite';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { Config } from '../../platform/config';
import type { PoolStats } from '../../platform/metrics';
import { recordStatementSpan } from '../../platform/telemetry';
import { DEFAULT_DEMO_ENTERPRISES } from '../../demo/population';
import type { SubgraphDefinition } from './subgraph';
import { KitSubscriber } from './audit-trail';
import { KIT_ENTITIES, KIT_TABLES } from './events/entities';
import { kitMigrations } from './events/migrations';
import { inBookkeeping } from './events/background';

export type Driver = 'sqlite' | 'postgresql';

export interface DatabaseOptions {
  /** Overrides the database: `:memory:` for SQLite tests, a test database URL for PostgreSQL. */
  sqlitePath?: string;
  databaseUrl?: string;
  /** Called with every SQL statement but the event relays' bookkeeping; tests use it to prove batching (query counts, not timings). */
  onStatement?: (sql: string, params?: readonly unknown[]) => void;
  /** Where `migration:create` writes new migration files. */
  migrationsPath?: string;
  /**
   * `migration:create`: leave the kit's tables out of the diff, so a subgraph's migrations never
   * touch them (the kit's migrations own them; MikroORM's SQLite diff would otherwise propose to
   * rebuild kit_outbox every time).
   */
  withoutKitTables?: boolean;
}

/**
 * Each subgraph owns its data alone: a SQLite file `data/<name>.sqlite` by default, or its own
 * schema `<name>` in the PostgreSQL database of DATABASE_URL. No subgraph reads another's tables.
 */
export function ormOptions(definition: SubgraphDefinition<any>, config: Pick<Config, 'dataDir' | 'databaseUrl'>, options: DatabaseOptions = {}): Options {
  const databaseUrl = options.databaseUrl ?? (options.sqlitePath ? undefined : config.databaseUrl);
  const driver: Driver = databaseUrl ? 'postgresql' : 'sqlite';
  const common: Options = {
    // The kit's tables (outbox, inbox, relay state, dead letters) are in every subgraph's database.
    entities: [...definition.entities, ...KIT_ENTITIES],
    // Audit events of mutations, the producer's name for `emit`, relay nudges after commits.
    subscribers: [new KitSubscriber({ subgraph: definition.name, department: definition.department })],
    extensions: [Migrator],
    // Requests fork their own EntityManager; using the global one is a bug we want to hear about.
    allowGlobalContext: false,
    // MikroORM resolves `em.fork()`/`transactional()` to the transaction of the async context if
    // its name matches: with one name for all, a relay pass nudged from subgraph A's commit ran
    // subgraph B's consumer on A's transaction (MetadataError). Each ORM only sees its own.
    contextName: definition.name,
    forceUndefined: false,
    // Writes flush explicitly (`em.flush()`, `transactional`). 'auto' would make MikroORM track
    // every scalar through per-instance getters/setters (defined on each loaded entity: ~7 % of a
    // 100-row list's CPU) and check the unit of work before every query, for nothing.
    flushMode: 'commit',
    ignoreUndefinedInQuery: true,
    migrations: {
      // The kit's migrations first: a subgraph's own never contain kit tables.
      migrationsList: [...kitMigrations[driver], ...definition.migrations[driver]],
      path: options.migrationsPath,
      pathTs: options.migrationsPath,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
      emit: 'ts',
    },
    ...(options.withoutKitTables ? { schemaGenerator: { skipTables: KIT_TABLES } } : {}),
    ...statementHook(driver, options.onStatement),
  };
  if (driver === 'postgresql') {
    return {
      ...common,
      driver: PostgreSqlDriver,
      clientUrl: databaseUrl,
      schema: schemaName(definition.name),
      pool: { min: 0, max: 10 },
      // MikroORM creates a missing database by default: a mistyped DATABASE_URL would start on an
      // empty one. Databases are created by whoever runs PostgreSQL; a missing one fails the start.
      ensureDatabase: false,
    };
  }
  let dbName = options.sqlitePath;
  if (!dbName) {
    mkdirSync(config.dataDir, { recursive: true });
    dbName = join(config.dataDir, `${definition.name}.sqlite`);
  }
  return { ...common, driver: BetterSqliteDriver, dbName };
}

/** The knex pool behind the connection (tarn), read when `/metrics` is scraped. */
/** A subgraph's PostgreSQL schema: its name with `_` for `-` (`public-security` → `public_security`). */
export const schemaName = (subgraph: string) => subgraph.replace(/-/g, '_');

export function databasePoolStats(orm: MikroORM): PoolStats | undefined {
  const connection = orm.em.getConnection() as unknown as { getKnex?: () => { client?: { pool?: TarnPool } } };
  const pool = connection.getKnex?.().client?.pool;
  if (!pool) return undefined;
  return { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires() };
}
interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

export function driverOf(orm: MikroORM): Driver {
  return orm.config.get('driver') === PostgreSqlDriver ? 'postgresql' : 'sqlite';
}

/**
 * Every statement MikroORM runs becomes a span under the request's (and is handed to
 * `onStatement` in tests). With the `query` namespace on and `query-params` off, MikroORM logs
 * the statement with placeholders (`?` on SQLite, `$1` on PostgreSQL), never the values; the span
 * records its shape only (`recordStatementSpan` strips any literal a raw statement carries) and
 * never `context.params`.
 */
function statementHook(driver: Driver, onStatement?: DatabaseOptions['onStatement']): Partial<Options> {
  return {
    debug: ['query'],
    loggerFactory: () => ({
      log: () => undefined,
      error: () => undefined,
      warn: () => undefined,
      logQuery: (context: LogContext) => {
        if (!context.query) return;
        // The relays' background bookkeeping is no part of what a request costs (events/background.ts).
        if (!inBookkeeping()) onStatement?.(context.query, context.params);
        recordStatementSpan(context.query, context.took ?? 0, driver, context.level === 'error');
      },
      setDebugMode: () => undefined,
      isEnabled: (namespace: LoggerNamespace) => namespace === 'query',
    }),
  };
}

/**
 * Opens a subgraph's database and brings it to the latest committed migration; on an empty
 * database (first start) it loads the subgraph's demo data when asked to (`demo`).
 */
export async function openDatabase(
  definition: SubgraphDefinition<any>,
  config: Pick<Config, 'dataDir' | 'databaseUrl'>,
  options: DatabaseOptions & { demo?: boolean; demoEnterprises?: number } = {},
): Promise<MikroORM> {
  const orm = await MikroORM.init(ormOptions(definition, config, options));
  try {
    // Connect before the migrator does: its ensureDatabase() would create a missing (mistyped)
    // PostgreSQL database. Here a missing one fails the start (code 3D000, named by main.ts).
    await orm.em.getConnection().execute('select 1');
    if (driverOf(orm) === 'sqlite') {
      // WAL lets readers go on while a writer commits; foreign keys are off by default in SQLite.
      const connection = orm.em.getConnection();
      await connection.execute('pragma journal_mode = WAL');
      await connection.execute('pragma foreign_keys = ON');
    }
    await orm.getMigrator().up();
    if (definition.seed) {
      const seedOptions = { demo: options.demo ?? false, demoEnterprises: options.demoEnterprises ?? DEFAULT_DEMO_ENTERPRISES };
      await orm.em.fork().transactional((tx) => definition.seed!(tx, seedOptions));
    }
  } catch (error) {
    await orm.close(true);
    throw error;
  }
  return orm;
}

/**
 * What the committed migrations leave out of the entities, as readable lines (empty = in step).
 * PostgreSQL, the source of truth, is diffed exactly. MikroORM's SQLite diff is not stable (it
 * always proposes to rebuild tables with check constraints), so on SQLite every entity's table
 * and columns are compared instead.
 */
export async function migrationDrift(orm: MikroORM): Promise<string[]> {
  if (driverOf(orm) === 'postgresql') {
    const sql = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    return sql.split('\n').filter((line) => line.trim());
  }
  const problems: string[] = [];
  const connection = orm.em.getConnection();
  for (const meta of Object.values(orm.getMetadata().getAll())) {
    if (meta.embeddable || meta.virtual || !meta.tableName) continue;
    const rows: { name: string }[] = await connection.execute(`pragma table_info(\`${meta.tableName}\`)`);
    if (!rows.length) {
      problems.push(`table ${meta.tableName} is missing`);
      continue;
    }
    const actual = new Set(rows.map((r) => r.name));
    const expected = new Set(meta.comparableProps.flatMap((p) => p.fieldNames ?? []));
    for (const column of expected) if (!actual.has(column)) problems.push(`${meta.tableName}.${column} is missing`);
    for (const column of actual) if (!expected.has(column)) problems.push(`${meta.tableName}.${column} is not in the entity`);
  }
  return problems;
}
