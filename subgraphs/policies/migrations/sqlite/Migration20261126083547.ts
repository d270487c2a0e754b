import { Migration } from '@mikro-orm/migrations';

export class Migration20261126083547 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`policy_version\` add column \`deferrable_materials\` json not null default '[]';`);
  }

}
