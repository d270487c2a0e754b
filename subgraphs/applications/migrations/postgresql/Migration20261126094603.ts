import { Migration } from '@mikro-orm/migrations';

export class Migration20261126094603 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "applications"."archived_dossier" ("application_id" varchar(36) not null, "region_code" varchar(6) not null, "credit_code" varchar(18) not null, "json" text not null, "sha256" varchar(64) not null, "archived_at" timestamptz not null, constraint "archived_dossier_pkey" primary key ("application_id"));`);
    this.addSql(`create index "archived_dossier_region_code_application_id_index" on "applications"."archived_dossier" ("region_code", "application_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "applications"."archived_dossier" cascade;`);
  }

}
