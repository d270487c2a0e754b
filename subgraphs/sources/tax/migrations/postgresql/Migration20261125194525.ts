import { Migration } from '@mikro-orm/migrations';

export class Migration20261125194525 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "tax";`);
    this.addSql(`create table "tax"."tax_profile" ("credit_code" varchar(18) not null, "region_code" varchar(6) not null, "credit_rating" text check ("credit_rating" in ('A', 'B', 'M', 'C', 'D')) not null, "rating_year" int not null, "arrears_fen" bigint not null, "last_filed_on" varchar(10) not null, constraint "tax_profile_pkey" primary key ("credit_code"));`);
    this.addSql(`create index "tax_profile_region_code_index" on "tax"."tax_profile" ("region_code");`);
    this.addSql(`create index "tax_profile_credit_rating_index" on "tax"."tax_profile" ("credit_rating");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "tax"."tax_profile" cascade;`);

    this.addSql(`drop schema if exists "tax";`);
  }

}
