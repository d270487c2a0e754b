import { Migration } from '@mikro-orm/migrations';

export class Migration20261126060533 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`policy_screening\` (\`id\` text not null, \`policy_id\` text not null, \`version\` integer not null, \`region_code\` text not null, \`evaluated_on\` text not null, \`screened\` integer not null, \`eligible_count\` integer not null, \`unknown_count\` integer not null, \`total_amount_fen\` bigint not null, \`digest\` text not null, \`screened_by_role\` text not null, \`screened_by\` text null, \`entries\` blob not null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`policy_screening_policy_id_created_at_index\` on \`policy_screening\` (\`policy_id\`, \`created_at\`);`);
  }

}
