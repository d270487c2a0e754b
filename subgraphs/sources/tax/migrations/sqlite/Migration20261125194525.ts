import { Migration } from '@mikro-orm/migrations';

export class Migration20261125194525 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`tax_profile\` (\`credit_code\` text not null, \`region_code\` text not null, \`credit_rating\` text check (\`credit_rating\` in ('A', 'B', 'M', 'C', 'D')) not null, \`rating_year\` integer not null, \`arrears_fen\` bigint not null, \`last_filed_on\` text not null, primary key (\`credit_code\`));`);
    this.addSql(`create index \`tax_profile_region_code_index\` on \`tax_profile\` (\`region_code\`);`);
    this.addSql(`create index \`tax_profile_credit_rating_index\` on \`tax_profile\` (\`credit_rating\`);`);
  }

}
