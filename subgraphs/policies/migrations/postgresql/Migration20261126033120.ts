import { Migration } from '@mikro-orm/migrations';

export class Migration20261126033120 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "policies";`);
    this.addSql(`create table "policies"."policy" ("id" varchar(20) not null, "department_code" varchar(20) not null, "region_code" varchar(6) not null, "level" varchar(10) not null, "city_share_bp" int null, "county_share_bp" int null, "mode" varchar(20) not null, "status" varchar(20) not null, "status_reason" varchar(500) null, "published_version" int null, "working_version" int null, "industry_list" varchar(400) not null default '', "scale_list" varchar(200) not null default '', "tag_list" varchar(400) not null default '', "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "policy_pkey" primary key ("id"));`);
    this.addSql(`create index "policy_department_code_index" on "policies"."policy" ("department_code");`);
    this.addSql(`create index "policy_status_id_index" on "policies"."policy" ("status", "id");`);

    this.addSql(`create table "policies"."policy_search_term" ("term" varchar(40) not null, "policy_id" varchar(20) not null, "weight" int not null, constraint "policy_search_term_pkey" primary key ("term", "policy_id"));`);
    this.addSql(`create index "policy_search_term_policy_id_index" on "policies"."policy_search_term" ("policy_id");`);

    this.addSql(`create table "policies"."policy_sign_off" ("id" varchar(50) not null, "version_id" varchar(30) not null, "round" int not null, "department" varchar(10) not null, "decision" varchar(10) not null, "comments" text null, "signed_by" varchar(100) null, "signed_at" timestamptz not null, constraint "policy_sign_off_pkey" primary key ("id"));`);
    this.addSql(`create index "policy_sign_off_version_id_index" on "policies"."policy_sign_off" ("version_id");`);

    this.addSql(`create table "policies"."policy_version" ("id" varchar(30) not null, "policy_id" varchar(20) not null, "number" int not null, "state" varchar(20) not null, "round" int not null default 0, "title" varchar(200) not null, "legal_basis_title" varchar(200) not null, "legal_basis_number" varchar(100) not null, "beneficiaries" text not null, "conditions_text" text not null, "conditions" jsonb not null, "amount_rule" jsonb not null, "amount_text" text not null, "materials" jsonb not null, "process_steps" jsonb not null, "review_days" int not null, "payment_days" int not null, "window_start" varchar(10) null, "window_end" varchar(10) null, "contact" varchar(200) not null, "faq" jsonb not null, "industries" jsonb not null, "scales" jsonb not null, "tags" jsonb not null, "created_by" varchar(100) null, "created_at" timestamptz not null, "submitted_at" timestamptz null, "published_at" timestamptz null, constraint "policy_version_pkey" primary key ("id"));`);
    this.addSql(`create index "policy_version_policy_id_index" on "policies"."policy_version" ("policy_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "policies"."policy" cascade;`);

    this.addSql(`drop table if exists "policies"."policy_search_term" cascade;`);

    this.addSql(`drop table if exists "policies"."policy_sign_off" cascade;`);

    this.addSql(`drop table if exists "policies"."policy_version" cascade;`);

    this.addSql(`drop schema if exists "policies";`);
  }

}
