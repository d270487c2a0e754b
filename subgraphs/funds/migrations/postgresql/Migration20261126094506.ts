import { Migration } from '@mikro-orm/migrations';

export class Migration20261126094506 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "funds";`);
    this.addSql(`create table "funds"."budget_entry" ("id" varchar(36) not null, "indicator_id" varchar(36) not null, "kind" varchar(10) not null, "amount_fen" bigint not null, "order_id" varchar(36) null, "reason" text null, "actor" varchar(100) not null, "at" timestamptz not null, constraint "budget_entry_pkey" primary key ("id"));`);
    this.addSql(`create index "budget_entry_order_id_index" on "funds"."budget_entry" ("order_id");`);
    this.addSql(`create index "budget_entry_indicator_id_at_index" on "funds"."budget_entry" ("indicator_id", "at");`);

    this.addSql(`create table "funds"."budget_indicator" ("id" varchar(36) not null, "policy_id" varchar(20) not null, "fiscal_year" int not null, "level" varchar(10) not null, "region_code" varchar(6) not null, "department" varchar(20) null, "assigned_fen" bigint not null, "held_fen" bigint not null, "spent_fen" bigint not null, "moved_to_payer" boolean not null, "moved_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "budget_indicator_pkey" primary key ("id"));`);
    this.addSql(`create index "budget_indicator_fiscal_year_policy_id_index" on "funds"."budget_indicator" ("fiscal_year", "policy_id");`);
    this.addSql(`alter table "funds"."budget_indicator" add constraint "budget_indicator_policy_id_fiscal_year_level_region_code_unique" unique ("policy_id", "fiscal_year", "level", "region_code");`);

    this.addSql(`create table "funds"."payment_order" ("id" varchar(36) not null, "application_id" varchar(36) not null, "receipt_number" varchar(40) null, "policy_id" varchar(20) not null, "fiscal_year" int not null, "region_code" varchar(6) not null, "department" varchar(20) null, "credit_code" varchar(18) not null, "enterprise_name" varchar(200) null, "amount_fen" bigint not null, "city_fen" bigint not null, "county_fen" bigint not null, "payee_account" varchar(40) not null, "payee_bank" varchar(100) not null, "status" varchar(20) not null, "waiting_reason" text null, "holding" boolean not null, "bank_reference" varchar(64) null, "bank_reason" text null, "attempts" int not null, "deadline" varchar(10) not null, "created_at" timestamptz not null, "sent_at" timestamptz null, "settled_at" timestamptz null, "updated_at" timestamptz not null, constraint "payment_order_pkey" primary key ("id"));`);
    this.addSql(`create index "payment_order_credit_code_index" on "funds"."payment_order" ("credit_code");`);
    this.addSql(`create index "payment_order_region_code_created_at_index" on "funds"."payment_order" ("region_code", "created_at");`);
    this.addSql(`create index "payment_order_status_created_at_index" on "funds"."payment_order" ("status", "created_at");`);
    this.addSql(`alter table "funds"."payment_order" add constraint "payment_order_application_id_unique" unique ("application_id");`);

    this.addSql(`create table "funds"."reconciliation_report" ("id" varchar(36) not null, "date" varchar(10) not null, "checked" int not null, "fixed" int not null, "differences" jsonb not null, "ran_by" varchar(100) not null, "ran_at" timestamptz not null, constraint "reconciliation_report_pkey" primary key ("id"));`);
    this.addSql(`create index "reconciliation_report_date_index" on "funds"."reconciliation_report" ("date");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "funds"."budget_entry" cascade;`);

    this.addSql(`drop table if exists "funds"."budget_indicator" cascade;`);

    this.addSql(`drop table if exists "funds"."payment_order" cascade;`);

    this.addSql(`drop table if exists "funds"."reconciliation_report" cascade;`);

    this.addSql(`drop schema if exists "funds";`);
  }

}
