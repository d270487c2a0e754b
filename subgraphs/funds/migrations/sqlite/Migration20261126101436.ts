import { Migration } from '@mikro-orm/migrations';

export class Migration20261126101436 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`budget_indicator\` add column \`closed\` integer not null default false;`);
  }

}
