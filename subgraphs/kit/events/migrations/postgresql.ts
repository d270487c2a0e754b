import { Migration } from '@mikro-orm/migrations';

/**
 * The kit's tables (events/entities.ts) on PostgreSQL, in the subgraph's own schema (read from
 * the ORM's config: the same migration serves every subgraph); runs before its own migrations.
 */
export class KitMigration20261126020000 extends Migration {
  override async up(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    this.addSql(`create schema if not exists ${s};`);
    this.addSql(`create table ${s}."kit_outbox" ("seq" bigserial primary key, "id" varchar(36) not null, "family" varchar(50) not null, "type" varchar(100) not null, "source" varchar(50) not null, "occurred_at" timestamptz not null, "request_id" varchar(64) null, "trace_id" varchar(64) null, "payload" jsonb not null, "published_at" timestamptz null);`);
    this.addSql(`alter table ${s}."kit_outbox" add constraint "kit_outbox_id_unique" unique ("id");`);
    this.addSql(`create index "kit_outbox_published_at_index" on ${s}."kit_outbox" ("published_at");`);

    this.addSql(`create table ${s}."kit_inbox" ("consumer" varchar(100) not null, "event_id" varchar(36) not null, "handled_at" timestamptz not null, constraint "kit_inbox_pkey" primary key ("consumer", "event_id"));`);

    this.addSql(`create table ${s}."kit_relay_cursor" ("consumer" varchar(100) not null, "position" bigint not null, constraint "kit_relay_cursor_pkey" primary key ("consumer"));`);

    this.addSql(`create table ${s}."kit_delivery" ("consumer" varchar(100) not null, "seq" bigint not null, "event_id" varchar(36) not null, "state" varchar(10) not null, "attempts" int not null, "next_attempt_at" timestamptz null, "last_error" varchar(1000) null, constraint "kit_delivery_pkey" primary key ("consumer", "seq"));`);

    this.addSql(`create table ${s}."kit_dead_letter" ("id" serial primary key, "consumer" varchar(100) not null, "event_id" varchar(36) not null, "family" varchar(50) not null, "type" varchar(100) not null, "source" varchar(50) not null, "event" jsonb not null, "attempts" int not null, "error" varchar(1000) not null, "dead_at" timestamptz not null);`);
    this.addSql(`create index "kit_dead_letter_dead_at_index" on ${s}."kit_dead_letter" ("dead_at");`);
    this.addSql(`alter table ${s}."kit_dead_letter" add constraint "kit_dead_letter_consumer_event_id_unique" unique ("consumer", "event_id");`);
  }

  override async down(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    for (const table of ['kit_dead_letter', 'kit_delivery', 'kit_relay_cursor', 'kit_inbox', 'kit_outbox']) this.addSql(`drop table if exists ${s}."${table}" cascade;`);
  }
}
