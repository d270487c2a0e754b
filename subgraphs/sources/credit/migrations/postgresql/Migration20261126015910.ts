import { Migration } from '@mikro-orm/migrations';

export class Migration20261126015910 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "credit";`);
    this.addSql(`create table "credit"."credit_record" ("id" serial primary key, "credit_code" varchar(18) not null, "region_code" varchar(6) not null, "source" varchar(32) not null, "reference" varchar(64) not null, "occurred_on" varchar(10) not null, "ends_on" varchar(10) null, "recorded_at" timestamptz not null, "kind" text check ("kind" in ('DISHONESTY', 'RATING')) not null, "grade" text check ("grade" in ('A', 'B', 'C', 'D')) null, "reason" varchar(200) not null, "decided_by" varchar(50) not null);`);
    this.addSql(`create index "credit_record_credit_code_index" on "credit"."credit_record" ("credit_code");`);
    this.addSql(`create index "credit_record_region_code_index" on "credit"."credit_record" ("region_code");`);
    this.addSql(`create index "credit_record_recorded_at_index" on "credit"."credit_record" ("recorded_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "credit"."credit_record" cascade;`);

    this.addSql(`drop schema if exists "credit";`);
  }

}
