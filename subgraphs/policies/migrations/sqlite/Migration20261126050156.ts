import { Migration } from '@mikro-orm/migrations';

export class Migration20261126050156 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`policy_message\` (\`id\` text not null, \`credit_code\` text not null, \`policy_id\` text not null, \`version\` integer not null, \`kind\` text not null, \`title\` text not null, \`body\` text not null, \`amount_fen\` bigint null, \`created_at\` datetime not null, \`read_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create index \`policy_message_credit_code_created_at_id_index\` on \`policy_message\` (\`credit_code\`, \`created_at\`, \`id\`);`);
    this.addSql(`create unique index \`policy_message_policy_id_credit_code_unique\` on \`policy_message\` (\`policy_id\`, \`credit_code\`);`);
  }

}
