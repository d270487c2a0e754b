import { Migration } from '@mikro-orm/migrations';

export class Migration20261126020505 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "tax"."tax_year" ("id" serial primary key, "credit_code" varchar(18) not null, "region_code" varchar(6) not null, "source" varchar(32) not null, "reference" varchar(64) not null, "occurred_on" varchar(10) not null, "ends_on" varchar(10) null, "recorded_at" timestamptz not null, "year" int not null, "revenue_fen" bigint not null, "tax_paid_fen" bigint not null);`);
    this.addSql(`create index "tax_year_credit_code_index" on "tax"."tax_year" ("credit_code");`);
    this.addSql(`create index "tax_year_region_code_index" on "tax"."tax_year" ("region_code");`);
    this.addSql(`create index "tax_year_recorded_at_index" on "tax"."tax_year" ("recorded_at");`);

    this.addSql(`alter table "tax"."tax_profile" add column "rated_on" varchar(10) null, add column "reference" varchar(64) null, add column "arrears_since" varchar(10) null, add column "arrears_reference" varchar(64) null, add column "recorded_at" timestamptz not null default current_timestamp;`);
    this.addSql(`create index "tax_profile_recorded_at_index" on "tax"."tax_profile" ("recorded_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "tax"."tax_year" cascade;`);

    this.addSql(`drop index "tax"."tax_profile_recorded_at_index";`);
    this.addSql(`alter table "tax"."tax_profile" drop column "rated_on", drop column "reference", drop column "arrears_since", drop column "arrears_reference", drop column "recorded_at";`);
  }

}
