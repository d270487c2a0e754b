import { Migration } from '@mikro-orm/migrations';

export class Migration20261126095317 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "funds"."sim_bank_account" ("account_no" varchar(40) not null, "bank_name" varchar(100) not null, "holder" varchar(100) null, "payer" boolean not null default false, "balance_fen" bigint not null default 0, "opened_at" timestamptz not null, constraint "sim_bank_account_pkey" primary key ("account_no"));`);

    this.addSql(`create table "funds"."sim_bank_fault" ("id" serial primary key, "kind" varchar(20) not null, "order_id" varchar(64) null, "remaining" int not null, "reason" varchar(500) null, "created_at" timestamptz not null);`);
    this.addSql(`create index "sim_bank_fault_order_id_index" on "funds"."sim_bank_fault" ("order_id");`);

    this.addSql(`create table "funds"."sim_bank_line" ("seq" serial primary key, "date" varchar(10) not null, "at" timestamptz not null, "kind" varchar(10) not null, "order_id" varchar(64) not null, "bank_reference" varchar(40) not null, "amount_fen" bigint not null, "payee_account" varchar(40) not null, "payee_bank" varchar(100) not null, "memo" varchar(200) not null, "reason" varchar(500) null, "balance_after_fen" bigint not null);`);
    this.addSql(`create index "sim_bank_line_order_id_index" on "funds"."sim_bank_line" ("order_id");`);
    this.addSql(`create index "sim_bank_line_date_seq_index" on "funds"."sim_bank_line" ("date", "seq");`);

    this.addSql(`create table "funds"."sim_bank_order" ("order_id" varchar(64) not null, "state" varchar(10) not null, "attempts" int not null default 0, "bank_reference" varchar(40) null, "reason" varchar(500) null, "at" timestamptz null, "amount_fen" bigint not null, "payee_account" varchar(40) not null, "payee_bank" varchar(100) not null, "memo" varchar(200) not null, constraint "sim_bank_order_pkey" primary key ("order_id"));`);

    this.addSql(`alter table "funds"."budget_indicator" add column "city_share_bp" int null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "funds"."sim_bank_account" cascade;`);

    this.addSql(`drop table if exists "funds"."sim_bank_fault" cascade;`);

    this.addSql(`drop table if exists "funds"."sim_bank_line" cascade;`);

    this.addSql(`drop table if exists "funds"."sim_bank_order" cascade;`);

    this.addSql(`alter table "funds"."budget_indicator" drop column "city_share_bp";`);
  }

}
