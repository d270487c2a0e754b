import { Migration } from '@mikro-orm/migrations';

export class Migration20261126020555 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "pboc";`);
    this.addSql(`create table "pboc"."bank_account" ("id" serial primary key, "credit_code" varchar(18) not null, "region_code" varchar(6) not null, "source" varchar(32) not null, "reference" varchar(64) not null, "occurred_on" varchar(10) not null, "ends_on" varchar(10) null, "recorded_at" timestamptz not null, "account_number" varchar(32) not null, "bank_name" varchar(100) not null, "holder_name" varchar(200) not null, "account_type" text check ("account_type" in ('BASIC', 'GENERAL')) not null, "status" text check ("status" in ('OPEN', 'CLOSED', 'SUSPENDED')) not null);`);
    this.addSql(`create index "bank_account_credit_code_index" on "pboc"."bank_account" ("credit_code");`);
    this.addSql(`create index "bank_account_region_code_index" on "pboc"."bank_account" ("region_code");`);
    this.addSql(`create index "bank_account_recorded_at_index" on "pboc"."bank_account" ("recorded_at");`);
    this.addSql(`create index "bank_account_account_number_index" on "pboc"."bank_account" ("account_number");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "pboc"."bank_account" cascade;`);

    this.addSql(`drop schema if exists "pboc";`);
  }

}
