import { Migration } from '@mikro-orm/migrations';

export class Migration20261126020545 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`construction_violation\` (\`id\` integer not null primary key autoincrement, \`credit_code\` text not null, \`region_code\` text not null, \`source\` text not null, \`reference\` text not null, \`occurred_on\` text not null, \`ends_on\` text null, \`recorded_at\` datetime not null, \`violation\` text not null, \`project\` text not null, \`amount_fen\` bigint not null);`);
    this.addSql(`create index \`construction_violation_credit_code_index\` on \`construction_violation\` (\`credit_code\`);`);
    this.addSql(`create index \`construction_violation_region_code_index\` on \`construction_violation\` (\`region_code\`);`);
    this.addSql(`create index \`construction_violation_recorded_at_index\` on \`construction_violation\` (\`recorded_at\`);`);
  }

}
