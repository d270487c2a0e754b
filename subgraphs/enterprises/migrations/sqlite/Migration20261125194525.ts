import { Migration } from '@mikro-orm/migrations';

export class Migration20261125194525 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`department\` (\`code\` text not null, \`name\` text not null, \`short_name\` text not null, \`region_code\` text not null, \`function_list\` text not null, primary key (\`code\`));`);
    this.addSql(`create index \`department_region_code_index\` on \`department\` (\`region_code\`);`);

    this.addSql(`create table \`enterprise\` (\`credit_code\` text not null, \`name\` text not null, \`legal_representative\` text not null, \`legal_representative_id_number\` text not null, \`registered_on\` text not null, \`region_code\` text not null, \`industry_code\` text not null, \`scale\` text check (\`scale\` in ('LARGE', 'MEDIUM', 'SMALL', 'MICRO')) not null, \`tag_list\` text not null, \`address\` text not null, \`bank_name\` text not null, \`bank_account\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`credit_code\`));`);
    this.addSql(`create unique index \`enterprise_name_unique\` on \`enterprise\` (\`name\`);`);
    this.addSql(`create index \`enterprise_region_code_index\` on \`enterprise\` (\`region_code\`);`);
    this.addSql(`create index \`enterprise_region_code_industry_code_index\` on \`enterprise\` (\`region_code\`, \`industry_code\`);`);

    this.addSql(`create table \`region\` (\`code\` text not null, \`name\` text not null, \`level\` text check (\`level\` in ('PROVINCE', 'CITY', 'COUNTY')) not null, \`parent_code\` text null, primary key (\`code\`));`);
  }

}
