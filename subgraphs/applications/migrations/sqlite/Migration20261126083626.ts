import { Migration } from '@mikro-orm/migrations';

export class Migration20261126083626 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`application_receipt_counter\` (\`key\` text not null, \`last\` integer not null, primary key (\`key\`));`);

    this.addSql(`alter table \`application\` add column \`guide_materials\` json not null default '[]';`);
    this.addSql(`alter table \`application\` add column \`deferrable_materials\` json not null default '[]';`);
    this.addSql(`alter table \`application\` add column \`amount_cap_fen\` bigint null;`);
  }

}
