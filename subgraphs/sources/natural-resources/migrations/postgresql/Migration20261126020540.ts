import { Migration } from '@mikro-orm/migrations';

export class Migration20261126020540 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "natural_resources";`);
    this.addSql(`create table "natural_resources"."land_violation" ("id" serial primary key, "credit_code" varchar(18) not null, "region_code" varchar(6) not null, "source" varchar(32) not null, "reference" varchar(64) not null, "occurred_on" varchar(10) not null, "ends_on" varchar(10) null, "recorded_at" timestamptz not null, "violation" varchar(200) not null, "area_square_meters" int not null, "amount_fen" bigint not null);`);
    this.addSql(`create index "land_violation_credit_code_index" on "natural_resources"."land_violation" ("credit_code");`);
    this.addSql(`create index "land_violation_region_code_index" on "natural_resources"."land_violation" ("region_code");`);
    this.addSql(`create index "land_violation_recorded_at_index" on "natural_resources"."land_violation" ("recorded_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "natural_resources"."land_violation" cascade;`);

    this.addSql(`drop schema if exists "natural_resources";`);
  }

}
