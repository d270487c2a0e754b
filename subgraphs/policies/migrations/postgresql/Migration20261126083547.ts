import { Migration } from '@mikro-orm/migrations';

export class Migration20261126083547 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "policies"."policy_version" add column "deferrable_materials" jsonb not null default '[]';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "policies"."policy_version" drop column "deferrable_materials";`);
  }

}
