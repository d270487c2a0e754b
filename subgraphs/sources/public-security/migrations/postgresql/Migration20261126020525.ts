import { Migration } from '@mikro-orm/migrations';

export class Migration20261126020525 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "public_security";`);
    this.addSql(`create table "public_security"."police_record" ("id" serial primary key, "credit_code" varchar(18) not null, "region_code" varchar(6) not null, "source" varchar(32) not null, "reference" varchar(64) not null, "occurred_on" varchar(10) not null, "ends_on" varchar(10) null, "recorded_at" timestamptz not null, "case_type" varchar(20) not null, "summary" varchar(200) not null);`);
    this.addSql(`create index "police_record_credit_code_index" on "public_security"."police_record" ("credit_code");`);
    this.addSql(`create index "police_record_region_code_index" on "public_security"."police_record" ("region_code");`);
    this.addSql(`create index "police_record_recorded_at_index" on "public_security"."police_record" ("recorded_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "public_security"."police_record" cascade;`);

    this.addSql(`drop schema if exists "public_security";`);
  }

}
