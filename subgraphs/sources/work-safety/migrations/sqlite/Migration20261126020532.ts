import { Migration } from '@mikro-orm/migrations';

export class Migration20261126020532 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`safety_record\` (\`id\` integer not null primary key autoincrement, \`credit_code\` text not null, \`region_code\` text not null, \`source\` text not null, \`reference\` text not null, \`occurred_on\` text not null, \`ends_on\` text null, \`recorded_at\` datetime not null, \`kind\` text check (\`kind\` in ('VIOLATION', 'ACCIDENT')) not null, \`description\` text not null, \`fatalities\` integer not null, \`amount_fen\` bigint not null);`);
    this.addSql(`create index \`safety_record_credit_code_index\` on \`safety_record\` (\`credit_code\`);`);
    this.addSql(`create index \`safety_record_region_code_index\` on \`safety_record\` (\`region_code\`);`);
    this.addSql(`create index \`safety_record_recorded_at_index\` on \`safety_record\` (\`recorded_at\`);`);
  }

}
