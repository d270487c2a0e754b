import { Migration } from '@mikro-orm/migrations';

export class Migration20261126020517 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`statistics_record\` (\`id\` integer not null primary key autoincrement, \`credit_code\` text not null, \`region_code\` text not null, \`source\` text not null, \`reference\` text not null, \`occurred_on\` text not null, \`ends_on\` text null, \`recorded_at\` datetime not null, \`kind\` text check (\`kind\` in ('ANNUAL', 'VIOLATION')) not null, \`year\` integer null, \`employees\` integer null, \`output_value_fen\` bigint null, \`above_scale\` integer null, \`description\` text null);`);
    this.addSql(`create index \`statistics_record_credit_code_index\` on \`statistics_record\` (\`credit_code\`);`);
    this.addSql(`create index \`statistics_record_region_code_index\` on \`statistics_record\` (\`region_code\`);`);
    this.addSql(`create index \`statistics_record_recorded_at_index\` on \`statistics_record\` (\`recorded_at\`);`);
  }

}
