import { Migration } from '@mikro-orm/migrations';

export class Migration20261126060533 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "policies"."policy_screening" ("id" varchar(36) not null, "policy_id" varchar(20) not null, "version" int not null, "region_code" varchar(6) not null, "evaluated_on" varchar(10) not null, "screened" int not null, "eligible_count" int not null, "unknown_count" int not null, "total_amount_fen" bigint not null, "digest" varchar(64) not null, "screened_by_role" varchar(32) not null, "screened_by" varchar(128) null, "entries" bytea not null, "created_at" timestamptz not null, constraint "policy_screening_pkey" primary key ("id"));`);
    this.addSql(`create index "policy_screening_policy_id_created_at_index" on "policies"."policy_screening" ("policy_id", "created_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "policies"."policy_screening" cascade;`);
  }

}
