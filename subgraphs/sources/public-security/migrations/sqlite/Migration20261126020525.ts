import { Migration } from '@mikro-orm/migrations';

export class Migration20261126020525 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`police_record\` (\`id\` integer not null primary key autoincrement, \`credit_code\` text not null, \`region_code\` text not null, \`source\` text not null, \`reference\` text not null, \`occurred_on\` text not null, \`ends_on\` text null, \`recorded_at\` datetime not null, \`case_type\` text not null, \`summary\` text not null);`);
    this.addSql(`create index \`police_record_credit_code_index\` on \`police_record\` (\`credit_code\`);`);
    this.addSql(`create index \`police_record_region_code_index\` on \`police_record\` (\`region_code\`);`);
    this.addSql(`create index \`police_record_recorded_at_index\` on \`police_record\` (\`recorded_at\`);`);
  }

}
