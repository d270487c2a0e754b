import { Migration } from '@mikro-orm/migrations';

export class Migration20261126082939 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "departments";`);
    this.addSql(`create table "departments"."department_case" ("id" varchar(36) not null, "application_id" varchar(36) not null, "receipt_number" varchar(40) not null, "policy_id" varchar(20) not null, "policy_version" int not null, "policy_title" varchar(200) not null, "mode" varchar(20) not null, "department" varchar(20) not null, "region_code" varchar(6) not null, "credit_code" varchar(18) not null, "enterprise_name" varchar(200) not null, "channel" varchar(20) not null, "accepted_at" timestamptz not null, "received_at" timestamptz not null, "deadline" varchar(10) null, "materials" jsonb not null, "tolerated" jsonb not null, "form_data" jsonb not null, "status" varchar(20) not null, "assignee" varchar(100) null, "assigned_at" timestamptz null, "decision_id" varchar(64) null, "outcome" varchar(10) null, "amount_fen" bigint null, "payee_account" varchar(32) null, "payee_bank" varchar(100) null, "reason" text null, "policy_explanation" text null, "note" text null, "decided_at" timestamptz null, "decided_by" varchar(100) null, "pushed_at" timestamptz null, "push_error" varchar(600) null, "updated_at" timestamptz not null, constraint "department_case_pkey" primary key ("id"));`);
    this.addSql(`alter table "departments"."department_case" add constraint "department_case_receipt_number_unique" unique ("receipt_number");`);
    this.addSql(`create index "department_case_credit_code_index" on "departments"."department_case" ("credit_code");`);
    this.addSql(`create index "department_case_department_receipt_number_index" on "departments"."department_case" ("department", "receipt_number");`);
    this.addSql(`create index "department_case_department_status_receipt_number_index" on "departments"."department_case" ("department", "status", "receipt_number");`);
    this.addSql(`alter table "departments"."department_case" add constraint "department_case_application_id_unique" unique ("application_id");`);

    this.addSql(`create table "departments"."department_case_record" ("id" varchar(36) not null, "case_id" varchar(36) not null, "kind" varchar(20) not null, "date" varchar(10) not null, "people" jsonb not null, "findings" text not null, "conclusion" text not null, "recorded_by" varchar(100) null, "recorded_at" timestamptz not null, "pushed_at" timestamptz null, "push_error" varchar(600) null, constraint "department_case_record_pkey" primary key ("id"));`);
    this.addSql(`create index "department_case_record_case_id_recorded_at_index" on "departments"."department_case_record" ("case_id", "recorded_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "departments"."department_case" cascade;`);

    this.addSql(`drop table if exists "departments"."department_case_record" cascade;`);

    this.addSql(`drop schema if exists "departments";`);
  }

}
