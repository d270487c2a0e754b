import { Migration } from '@mikro-orm/migrations';

export class Migration20261126020555 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`bank_account\` (\`id\` integer not null primary key autoincrement, \`credit_code\` text not null, \`region_code\` text not null, \`source\` text not null, \`reference\` text not null, \`occurred_on\` text not null, \`ends_on\` text null, \`recorded_at\` datetime not null, \`account_number\` text not null, \`bank_name\` text not null, \`holder_name\` text not null, \`account_type\` text check (\`account_type\` in ('BASIC', 'GENERAL')) not null, \`status\` text check (\`status\` in ('OPEN', 'CLOSED', 'SUSPENDED')) not null);`);
    this.addSql(`create index \`bank_account_credit_code_index\` on \`bank_account\` (\`credit_code\`);`);
    this.addSql(`create index \`bank_account_region_code_index\` on \`bank_account\` (\`region_code\`);`);
    this.addSql(`create index \`bank_account_recorded_at_index\` on \`bank_account\` (\`recorded_at\`);`);
    this.addSql(`create index \`bank_account_account_number_index\` on \`bank_account\` (\`account_number\`);`);
  }

}
