import { Migration } from '@mikro-orm/migrations';

export class Migration20261126082729 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "applications";`);
    this.addSql(`create table "applications"."application" ("id" varchar(36) not null, "receipt_number" varchar(30) not null, "policy_id" varchar(20) not null, "policy_version" int not null, "policy_title" varchar(200) not null, "mode" varchar(20) not null, "department" varchar(20) not null, "region_code" varchar(6) not null, "credit_code" varchar(18) not null, "enterprise_name" varchar(200) not null, "channel" varchar(20) not null, "intake_department" varchar(20) null, "status" varchar(20) not null, "period" varchar(20) not null, "data" jsonb not null, "review_days" int not null, "commitment_signed_at" timestamptz null, "commitment_text" text null, "missing_materials" jsonb not null, "tolerated_materials" jsonb not null, "amount_fen" bigint null, "payee_account" varchar(32) null, "payee_bank" varchar(100) null, "screening_id" varchar(64) null, "decision_id" varchar(64) null, "decision_digest" varchar(64) null, "rejection_reason" text null, "policy_explanation" text null, "joint_audit_verdict" varchar(10) null, "joint_audit_reasons" jsonb null, "joint_audit_findings" jsonb null, "state_entered_at" timestamptz not null, "deadline" varchar(10) null, "deadline_workdays" int null, "deadline_problem" varchar(200) null, "step_count" int not null default 0, "submitted_at" timestamptz not null, "updated_at" timestamptz not null, constraint "application_pkey" primary key ("id"));`);
    this.addSql(`alter table "applications"."application" add constraint "application_receipt_number_unique" unique ("receipt_number");`);
    this.addSql(`create index "application_intake_department_id_index" on "applications"."application" ("intake_department", "id");`);
    this.addSql(`create index "application_region_code_status_index" on "applications"."application" ("region_code", "status");`);
    this.addSql(`create index "application_department_status_index" on "applications"."application" ("department", "status");`);
    this.addSql(`create index "application_credit_code_id_index" on "applications"."application" ("credit_code", "id");`);
    this.addSql(`alter table "applications"."application" add constraint "application_policy_id_credit_code_period_unique" unique ("policy_id", "credit_code", "period");`);

    this.addSql(`create table "applications"."application_material" ("id" varchar(36) not null, "application_id" varchar(36) not null, "name" varchar(100) not null, "upload_id" varchar(64) null, "held_by_government" boolean not null default false, "sha256" varchar(64) null, "media_type" varchar(100) null, "size" int null, constraint "application_material_pkey" primary key ("id"));`);
    this.addSql(`alter table "applications"."application_material" add constraint "application_material_application_id_name_unique" unique ("application_id", "name");`);

    this.addSql(`create table "applications"."application_step" ("id" varchar(36) not null, "application_id" varchar(36) not null, "seq" int not null, "action" varchar(20) not null, "from_status" varchar(20) null, "to_status" varchar(20) not null, "actor_role" varchar(20) not null, "actor_subject" varchar(100) null, "actor_department" varchar(20) null, "at" timestamptz not null, "note" text null, "deadline" varchar(10) null, "details" jsonb null, constraint "application_step_pkey" primary key ("id"));`);
    this.addSql(`alter table "applications"."application_step" add constraint "application_step_application_id_seq_unique" unique ("application_id", "seq");`);

    this.addSql(`alter table "applications"."application_material" add constraint "application_material_application_id_foreign" foreign key ("application_id") references "applications"."application" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "applications"."application_step" add constraint "application_step_application_id_foreign" foreign key ("application_id") references "applications"."application" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "applications"."application_material" drop constraint "application_material_application_id_foreign";`);

    this.addSql(`alter table "applications"."application_step" drop constraint "application_step_application_id_foreign";`);

    this.addSql(`drop table if exists "applications"."application" cascade;`);

    this.addSql(`drop table if exists "applications"."application_material" cascade;`);

    this.addSql(`drop table if exists "applications"."application_step" cascade;`);

    this.addSql(`drop schema if exists "applications";`);
  }

}
