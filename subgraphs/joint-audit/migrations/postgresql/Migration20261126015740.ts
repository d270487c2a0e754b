import { Migration } from '@mikro-orm/migrations';

export class Migration20261126015740 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "joint_audit";`);
    this.addSql(`create table "joint_audit"."joint_audit_policy_rules" ("policy_code" varchar(40) not null, "region_code" varchar(6) not null, "rules" jsonb not null, "updated_at" timestamptz not null, constraint "joint_audit_policy_rules_pkey" primary key ("policy_code"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "joint_audit"."joint_audit_policy_rules" cascade;`);

    this.addSql(`drop schema if exists "joint_audit";`);
  }

}
