import { Migration } from '@mikro-orm/migrations';

export class Migration20261126101436 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "funds"."budget_indicator" add column "closed" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "funds"."budget_indicator" drop column "closed";`);
  }

}
