import { Migration } from '@mikro-orm/migrations';

export class Migration20261126050157 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "policies"."policy_message" ("id" varchar(36) not null, "credit_code" varchar(18) not null, "policy_id" varchar(20) not null, "version" int not null, "kind" varchar(20) not null, "title" varchar(250) not null, "body" text not null, "amount_fen" bigint null, "created_at" timestamptz not null, "read_at" timestamptz null, constraint "policy_message_pkey" primary key ("id"));`);
    this.addSql(`create index "policy_message_credit_code_created_at_id_index" on "policies"."policy_message" ("credit_code", "created_at", "id");`);
    this.addSql(`alter table "policies"."policy_message" add constraint "policy_message_policy_id_credit_code_unique" unique ("policy_id", "credit_code");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "policies"."policy_message" cascade;`);
  }

}
