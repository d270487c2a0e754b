import { Migration } from '@mikro-orm/migrations';

export class Migration20261126084902 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "applications"."white_list_confirmation" ("screening_id" varchar(36) not null, "digest" varchar(64) not null, "policy_id" varchar(20) not null, "policy_version" int not null, "policy_title" varchar(200) not null, "review_days" int not null, "department" varchar(20) not null, "region_code" varchar(6) not null, "evaluated_on" varchar(10) not null, "period" varchar(20) not null, "eligible_count" int not null, "confirmed_by_role" varchar(20) not null, "confirmed_by" varchar(100) null, "confirmed_at" timestamptz not null, "state" varchar(12) not null, "cursor" varchar(200) null, "chunks" int not null default 0, "created" int not null default 0, "already_confirmed" int not null default 0, "skipped" int not null default 0, "skipped_entries" jsonb not null, "progressed_at" timestamptz not null, "completed_at" timestamptz null, constraint "white_list_confirmation_pkey" primary key ("screening_id"));`);
    this.addSql(`create index "white_list_confirmation_state_progressed_at_index" on "applications"."white_list_confirmation" ("state", "progressed_at");`);
    this.addSql(`create index "white_list_confirmation_policy_id_confirmed_at_index" on "applications"."white_list_confirmation" ("policy_id", "confirmed_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "applications"."white_list_confirmation" cascade;`);
  }

}
