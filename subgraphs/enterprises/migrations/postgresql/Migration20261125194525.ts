import { Migration } from '@mikro-orm/migrations';

export class Migration20261125194525 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "enterprises";`);
    this.addSql(`create table "enterprises"."department" ("code" varchar(20) not null, "name" varchar(100) not null, "short_name" varchar(50) not null, "region_code" varchar(6) not null, "function_list" varchar(200) not null, constraint "department_pkey" primary key ("code"));`);
    this.addSql(`create index "department_region_code_index" on "enterprises"."department" ("region_code");`);

    this.addSql(`create table "enterprises"."enterprise" ("credit_code" varchar(18) not null, "name" varchar(200) not null, "legal_representative" varchar(50) not null, "legal_representative_id_number" varchar(18) not null, "registered_on" varchar(10) not null, "region_code" varchar(6) not null, "industry_code" varchar(3) not null, "scale" text check ("scale" in ('LARGE', 'MEDIUM', 'SMALL', 'MICRO')) not null, "tag_list" varchar(200) not null, "address" varchar(300) not null, "bank_name" varchar(100) not null, "bank_account" varchar(32) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "enterprise_pkey" primary key ("credit_code"));`);
    this.addSql(`alter table "enterprises"."enterprise" add constraint "enterprise_name_unique" unique ("name");`);
    this.addSql(`create index "enterprise_region_code_index" on "enterprises"."enterprise" ("region_code");`);
    this.addSql(`create index "enterprise_region_code_industry_code_index" on "enterprises"."enterprise" ("region_code", "industry_code");`);

    this.addSql(`create table "enterprises"."region" ("code" varchar(6) not null, "name" varchar(50) not null, "level" text check ("level" in ('PROVINCE', 'CITY', 'COUNTY')) not null, "parent_code" varchar(6) null, constraint "region_pkey" primary key ("code"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "enterprises"."department" cascade;`);

    this.addSql(`drop table if exists "enterprises"."enterprise" cascade;`);

    this.addSql(`drop table if exists "enterprises"."region" cascade;`);

    this.addSql(`drop schema if exists "enterprises";`);
  }

}
