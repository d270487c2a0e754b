import { Migration } from '@mikro-orm/migrations';

export class Migration20261126083627 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "applications"."application_receipt_counter" ("key" varchar(20) not null, "last" int not null, constraint "application_receipt_counter_pkey" primary key ("key"));`);

    this.addSql(`alter table "applications"."application" add column "guide_materials" jsonb not null default '[]', add column "deferrable_materials" jsonb not null default '[]', add column "amount_cap_fen" bigint null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "applications"."application_receipt_counter" cascade;`);

    this.addSql(`alter table "applications"."application" drop column "guide_materials", drop column "deferrable_materials", drop column "amount_cap_fen";`);
  }

}
