import { Migration } from '@mikro-orm/migrations';

export class Migration20261126084902 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`white_list_confirmation\` (\`screening_id\` text not null, \`digest\` text not null, \`policy_id\` text not null, \`policy_version\` integer not null, \`policy_title\` text not null, \`review_days\` integer not null, \`department\` text not null, \`region_code\` text not null, \`evaluated_on\` text not null, \`period\` text not null, \`eligible_count\` integer not null, \`confirmed_by_role\` text not null, \`confirmed_by\` text null, \`confirmed_at\` datetime not null, \`state\` text not null, \`cursor\` text null, \`chunks\` integer not null default 0, \`created\` integer not null default 0, \`already_confirmed\` integer not null default 0, \`skipped\` integer not null default 0, \`skipped_entries\` json not null, \`progressed_at\` datetime not null, \`completed_at\` datetime null, primary key (\`screening_id\`));`);
    this.addSql(`create index \`white_list_confirmation_state_progressed_at_index\` on \`white_list_confirmation\` (\`state\`, \`progressed_at\`);`);
    this.addSql(`create index \`white_list_confirmation_policy_id_confirmed_at_index\` on \`white_list_confirmation\` (\`policy_id\`, \`confirmed_at\`);`);
  }

}
