import { Migration } from '@mikro-orm/migrations';

export class Migration20261126015917 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "ecology";`);
    this.addSql(`create table "ecology"."ecology_penalty" ("id" serial primary key, "credit_code" varchar(18) not null, "region_code" varchar(6) not null, "source" varchar(32) not null, "reference" varchar(64) not null, "occurred_on" varchar(10) not null, "ends_on" varchar(10) null, "recorded_at" timestamptz not null, "violation" varchar(200) not null, "penalty" varchar(50) not null, "amount_fen" bigint not null);`);
    this.addSql(`create index "ecology_penalty_credit_code_index" on "ecology"."ecology_penalty" ("credit_code");`);
    this.addSql(`create index "ecology_penalty_region_code_index" on "ecology"."ecology_penalty" ("region_code");`);
    this.addSql(`create index "ecology_penalty_recorded_at_index" on "ecology"."ecology_penalty" ("recorded_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "ecology"."ecology_penalty" cascade;`);

    this.addSql(`drop schema if exists "ecology";`);
  }

}
