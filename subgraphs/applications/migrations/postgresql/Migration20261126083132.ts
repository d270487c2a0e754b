import { Migration } from '@mikro-orm/migrations';

export class Migration20261126083132 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "applications"."material_upload" ("id" varchar(36) not null, "sha256" varchar(64) not null, "size" int not null, "media_type" varchar(40) not null, "file_name" varchar(200) not null, "credit_code" varchar(18) not null, "region_code" varchar(6) not null, "uploaded_by_role" varchar(20) not null, "uploaded_by_subject" varchar(128) null, "uploaded_by_department" varchar(20) null, "uploaded_at" timestamptz not null, constraint "material_upload_pkey" primary key ("id"));`);
    this.addSql(`create index "material_upload_sha256_index" on "applications"."material_upload" ("sha256");`);
    this.addSql(`create index "material_upload_credit_code_uploaded_at_index" on "applications"."material_upload" ("credit_code", "uploaded_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "applications"."material_upload" cascade;`);
  }

}
