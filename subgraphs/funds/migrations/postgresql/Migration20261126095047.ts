import { Migration } from '@mikro-orm/migrations';

export class Migration20261126095047 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "funds"."fiscal_year_closure" ("id" varchar(36) not null, "fiscal_year" int not null, "region_code" varchar(6) not null, "budget_fen" bigint not null, "paid_fen" bigint not null, "remaining_fen" bigint not null, "closed_by" varchar(100) not null, "closed_at" timestamptz not null, constraint "fiscal_year_closure_pkey" primary key ("id"));`);
    this.addSql(`alter table "funds"."fiscal_year_closure" add constraint "fiscal_year_closure_fiscal_year_region_code_unique" unique ("fiscal_year", "region_code");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "funds"."fiscal_year_closure" cascade;`);
  }

}
