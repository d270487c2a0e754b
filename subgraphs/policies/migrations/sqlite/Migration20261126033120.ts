import { Migration } from '@mikro-orm/migrations';

export class Migration20261126033120 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`policy\` (\`id\` text not null, \`department_code\` text not null, \`region_code\` text not null, \`level\` text not null, \`city_share_bp\` integer null, \`county_share_bp\` integer null, \`mode\` text not null, \`status\` text not null, \`status_reason\` text null, \`published_version\` integer null, \`working_version\` integer null, \`industry_list\` text not null default '', \`scale_list\` text not null default '', \`tag_list\` text not null default '', \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`policy_department_code_index\` on \`policy\` (\`department_code\`);`);
    this.addSql(`create index \`policy_status_id_index\` on \`policy\` (\`status\`, \`id\`);`);

    this.addSql(`create table \`policy_search_term\` (\`term\` text not null, \`policy_id\` text not null, \`weight\` integer not null, primary key (\`term\`, \`policy_id\`));`);
    this.addSql(`create index \`policy_search_term_policy_id_index\` on \`policy_search_term\` (\`policy_id\`);`);

    this.addSql(`create table \`policy_sign_off\` (\`id\` text not null, \`version_id\` text not null, \`round\` integer not null, \`department\` text not null, \`decision\` text not null, \`comments\` text null, \`signed_by\` text null, \`signed_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`policy_sign_off_version_id_index\` on \`policy_sign_off\` (\`version_id\`);`);

    this.addSql(`create table \`policy_version\` (\`id\` text not null, \`policy_id\` text not null, \`number\` integer not null, \`state\` text not null, \`round\` integer not null default 0, \`title\` text not null, \`legal_basis_title\` text not null, \`legal_basis_number\` text not null, \`beneficiaries\` text not null, \`conditions_text\` text not null, \`conditions\` json not null, \`amount_rule\` json not null, \`amount_text\` text not null, \`materials\` json not null, \`process_steps\` json not null, \`review_days\` integer not null, \`payment_days\` integer not null, \`window_start\` text null, \`window_end\` text null, \`contact\` text not null, \`faq\` json not null, \`industries\` json not null, \`scales\` json not null, \`tags\` json not null, \`created_by\` text null, \`created_at\` datetime not null, \`submitted_at\` datetime null, \`published_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create index \`policy_version_policy_id_index\` on \`policy_version\` (\`policy_id\`);`);
  }

}
