import { Migration } from '@mikro-orm/migrations';

export class Migration20261126015818 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "audit";`);
    this.addSql(`create table "audit"."audit_checkpoint" ("seq" int not null, "hash" varchar(64) not null, "signed_at" timestamptz not null, "signature" text not null, "key_id" varchar(64) not null, constraint "audit_checkpoint_pkey" primary key ("seq"));`);

    this.addSql(`create table "audit"."audit_entry" ("seq" int not null, "event_id" varchar(64) not null, "kind" text check ("kind" in ('MUTATION', 'ACCESS')) not null, "event_type" varchar(64) not null, "source" varchar(64) not null, "actor_subject" varchar(128) null, "actor_role" varchar(32) null, "actor_region" varchar(6) null, "actor_department" varchar(32) null, "actor_credit_code" varchar(18) null, "action" varchar(200) not null, "operation" varchar(16) null, "entity" varchar(100) null, "entity_id" varchar(200) null, "enterprises" jsonb not null, "region_code" varchar(6) null, "owner_department" varchar(32) null, "purpose" varchar(200) null, "unmasked" jsonb not null, "before" jsonb null, "after" jsonb null, "occurred_at" timestamptz not null, "recorded_at" timestamptz not null, "request_id" varchar(64) null, "trace_id" varchar(64) null, "prev_hash" varchar(64) not null, "hash" varchar(64) not null, constraint "audit_entry_pkey" primary key ("seq"));`);
    this.addSql(`alter table "audit"."audit_entry" add constraint "audit_entry_event_id_unique" unique ("event_id");`);
    this.addSql(`create index "audit_entry_entity_seq_index" on "audit"."audit_entry" ("entity", "seq");`);
    this.addSql(`create index "audit_entry_action_seq_index" on "audit"."audit_entry" ("action", "seq");`);
    this.addSql(`create index "audit_entry_actor_subject_seq_index" on "audit"."audit_entry" ("actor_subject", "seq");`);
    this.addSql(`create index "audit_entry_owner_department_region_code_seq_index" on "audit"."audit_entry" ("owner_department", "region_code", "seq");`);
    this.addSql(`create index "audit_entry_actor_department_seq_index" on "audit"."audit_entry" ("actor_department", "seq");`);
    this.addSql(`create index "audit_entry_occurred_at_index" on "audit"."audit_entry" ("occurred_at");`);

    this.addSql(`create table "audit"."audit_entry_enterprise" ("credit_code" varchar(18) not null, "seq" int not null, constraint "audit_entry_enterprise_pkey" primary key ("credit_code", "seq"));`);
    this.addSql(`create index "audit_entry_enterprise_seq_index" on "audit"."audit_entry_enterprise" ("seq");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "audit"."audit_checkpoint" cascade;`);

    this.addSql(`drop table if exists "audit"."audit_entry" cascade;`);

    this.addSql(`drop table if exists "audit"."audit_entry_enterprise" cascade;`);

    this.addSql(`drop schema if exists "audit";`);
  }

}
