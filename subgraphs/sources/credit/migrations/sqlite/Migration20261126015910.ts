import { Migration } from '@mikro-orm/migrations';

export class Migration20261126015910 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`credit_record\` (\`id\` integer not null primary key autoincrement, \`credit_code\` text not null, \`region_code\` text not null, \`source\` text not null, \`reference\` text not null, \`occurred_on\` text not null, \`ends_on\` text null, \`recorded_at\` datetime not null, \`kind\` text check (\`kind\` in ('DISHONESTY', 'RATING')) not null, \`grade\` text check (\`grade\` in ('A', 'B', 'C', 'D')) null, \`reason\` text not null, \`decided_by\` text not null);`);
    this.addSql(`create index \`credit_record_credit_code_index\` on \`credit_record\` (\`credit_code\`);`);
    this.addSql(`create index \`credit_record_region_code_index\` on \`credit_record\` (\`region_code\`);`);
    this.addSql(`create index \`credit_record_recorded_at_index\` on \`credit_record\` (\`recorded_at\`);`);
  }

}
