import { Migration } from '@mikro-orm/migrations';

export class Migration20261126015917 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`ecology_penalty\` (\`id\` integer not null primary key autoincrement, \`credit_code\` text not null, \`region_code\` text not null, \`source\` text not null, \`reference\` text not null, \`occurred_on\` text not null, \`ends_on\` text null, \`recorded_at\` datetime not null, \`violation\` text not null, \`penalty\` text not null, \`amount_fen\` bigint not null);`);
    this.addSql(`create index \`ecology_penalty_credit_code_index\` on \`ecology_penalty\` (\`credit_code\`);`);
    this.addSql(`create index \`ecology_penalty_region_code_index\` on \`ecology_penalty\` (\`region_code\`);`);
    this.addSql(`create index \`ecology_penalty_recorded_at_index\` on \`ecology_penalty\` (\`recorded_at\`);`);
  }

}
