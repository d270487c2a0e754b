import { Migration } from '@mikro-orm/migrations';

export class Migration20261126020546 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "housing";`);
    this.addSql(`create table "housing"."construction_violation" ("id" serial primary key, "credit_code" varchar(18) not null, "region_code" varchar(6) not null, "source" varchar(32) not null, "reference" varchar(64) not null, "occurred_on" varchar(10) not null, "ends_on" varchar(10) null, "recorded_at" timestamptz not null, "violation" varchar(200) not null, "project" varchar(100) not null, "amount_fen" bigint not null);`);
    this.addSql(`create index "construction_violation_credit_code_index" on "housing"."construction_violation" ("credit_code");`);
    this.addSql(`create index "construction_violation_region_code_index" on "housing"."construction_violation" ("region_code");`);
    this.addSql(`create index "construction_violation_recorded_at_index" on "housing"."construction_violation" ("recorded_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "housing"."construction_violation" cascade;`);

    this.addSql(`drop schema if exists "housing";`);
  }

}
