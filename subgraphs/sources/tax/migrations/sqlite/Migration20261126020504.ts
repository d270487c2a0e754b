import { Migration } from '@mikro-orm/migrations';

export class Migration20261126020504 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`tax_year\` (\`id\` integer not null primary key autoincrement, \`credit_code\` text not null, \`region_code\` text not null, \`source\` text not null, \`reference\` text not null, \`occurred_on\` text not null, \`ends_on\` text null, \`recorded_at\` datetime not null, \`year\` integer not null, \`revenue_fen\` bigint not null, \`tax_paid_fen\` bigint not null);`);
    this.addSql(`create index \`tax_year_credit_code_index\` on \`tax_year\` (\`credit_code\`);`);
    this.addSql(`create index \`tax_year_region_code_index\` on \`tax_year\` (\`region_code\`);`);
    this.addSql(`create index \`tax_year_recorded_at_index\` on \`tax_year\` (\`recorded_at\`);`);

    this.addSql(`alter table \`tax_profile\` add column \`rated_on\` text null;`);
    this.addSql(`alter table \`tax_profile\` add column \`reference\` text null;`);
    this.addSql(`alter table \`tax_profile\` add column \`arrears_since\` text null;`);
    this.addSql(`alter table \`tax_profile\` add column \`arrears_reference\` text null;`);
    // SQLite adds a column to a table with rows only with a constant default: 0, then the time now.
    this.addSql(`alter table \`tax_profile\` add column \`recorded_at\` datetime not null default 0;`);
    this.addSql(`update \`tax_profile\` set \`recorded_at\` = cast(strftime('%s', 'now') as integer) * 1000;`);
    this.addSql(`create index \`tax_profile_recorded_at_index\` on \`tax_profile\` (\`recorded_at\`);`);
  }

}
