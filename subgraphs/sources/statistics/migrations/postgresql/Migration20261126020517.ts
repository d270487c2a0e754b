import { Migration } from '@mikro-orm/migrations';

export class Migration20261126020517 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "statistics";`);
    this.addSql(`create table "statistics"."statistics_record" ("id" serial primary key, "credit_code" varchar(18) not null, "region_code" varchar(6) not null, "source" varchar(32) not null, "reference" varchar(64) not null, "occurred_on" varchar(10) not null, "ends_on" varchar(10) null, "recorded_at" timestamptz not null, "kind" text check ("kind" in ('ANNUAL', 'VIOLATION')) not null, "year" int null, "employees" int null, "output_value_fen" bigint null, "above_scale" boolean null, "description" varchar(200) null);`);
    this.addSql(`create index "statistics_record_credit_code_index" on "statistics"."statistics_record" ("credit_code");`);
    this.addSql(`create index "statistics_record_region_code_index" on "statistics"."statistics_record" ("region_code");`);
    this.addSql(`create index "statistics_record_recorded_at_index" on "statistics"."statistics_record" ("recorded_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "statistics"."statistics_record" cascade;`);

    this.addSql(`drop schema if exists "statistics";`);
  }

}
