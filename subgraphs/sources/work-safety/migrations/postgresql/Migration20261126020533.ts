import { Migration } from '@mikro-orm/migrations';

export class Migration20261126020533 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "work_safety";`);
    this.addSql(`create table "work_safety"."safety_record" ("id" serial primary key, "credit_code" varchar(18) not null, "region_code" varchar(6) not null, "source" varchar(32) not null, "reference" varchar(64) not null, "occurred_on" varchar(10) not null, "ends_on" varchar(10) null, "recorded_at" timestamptz not null, "kind" text check ("kind" in ('VIOLATION', 'ACCIDENT')) not null, "description" varchar(200) not null, "fatalities" int not null, "amount_fen" bigint not null);`);
    this.addSql(`create index "safety_record_credit_code_index" on "work_safety"."safety_record" ("credit_code");`);
    this.addSql(`create index "safety_record_region_code_index" on "work_safety"."safety_record" ("region_code");`);
    this.addSql(`create index "safety_record_recorded_at_index" on "work_safety"."safety_record" ("recorded_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "work_safety"."safety_record" cascade;`);

    this.addSql(`drop schema if exists "work_safety";`);
  }

}
