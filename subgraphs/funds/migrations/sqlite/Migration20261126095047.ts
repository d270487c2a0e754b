import { Migration } from '@mikro-orm/migrations';

export class Migration20261126095047 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`fiscal_year_closure\` (\`id\` text not null, \`fiscal_year\` integer not null, \`region_code\` text not null, \`budget_fen\` bigint not null, \`paid_fen\` bigint not null, \`remaining_fen\` bigint not null, \`closed_by\` text not null, \`closed_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`fiscal_year_closure_fiscal_year_region_code_unique\` on \`fiscal_year_closure\` (\`fiscal_year\`, \`region_code\`);`);
  }

}
