import { Migration } from '@mikro-orm/migrations';

export class Migration20261126094505 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`budget_entry\` (\`id\` text not null, \`indicator_id\` text not null, \`kind\` text not null, \`amount_fen\` bigint not null, \`order_id\` text null, \`reason\` text null, \`actor\` text not null, \`at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`budget_entry_order_id_index\` on \`budget_entry\` (\`order_id\`);`);
    this.addSql(`create index \`budget_entry_indicator_id_at_index\` on \`budget_entry\` (\`indicator_id\`, \`at\`);`);

    this.addSql(`create table \`budget_indicator\` (\`id\` text not null, \`policy_id\` text not null, \`fiscal_year\` integer not null, \`level\` text not null, \`region_code\` text not null, \`department\` text null, \`assigned_fen\` bigint not null, \`held_fen\` bigint not null, \`spent_fen\` bigint not null, \`moved_to_payer\` integer not null, \`moved_at\` datetime null, \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`budget_indicator_fiscal_year_policy_id_index\` on \`budget_indicator\` (\`fiscal_year\`, \`policy_id\`);`);
    this.addSql(`create unique index \`budget_indicator_policy_id_fiscal_year_level_region_code_unique\` on \`budget_indicator\` (\`policy_id\`, \`fiscal_year\`, \`level\`, \`region_code\`);`);

    this.addSql(`create table \`payment_order\` (\`id\` text not null, \`application_id\` text not null, \`receipt_number\` text null, \`policy_id\` text not null, \`fiscal_year\` integer not null, \`region_code\` text not null, \`department\` text null, \`credit_code\` text not null, \`enterprise_name\` text null, \`amount_fen\` bigint not null, \`city_fen\` bigint not null, \`county_fen\` bigint not null, \`payee_account\` text not null, \`payee_bank\` text not null, \`status\` text not null, \`waiting_reason\` text null, \`holding\` integer not null, \`bank_reference\` text null, \`bank_reason\` text null, \`attempts\` integer not null, \`deadline\` text not null, \`created_at\` datetime not null, \`sent_at\` datetime null, \`settled_at\` datetime null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`payment_order_credit_code_index\` on \`payment_order\` (\`credit_code\`);`);
    this.addSql(`create index \`payment_order_region_code_created_at_index\` on \`payment_order\` (\`region_code\`, \`created_at\`);`);
    this.addSql(`create index \`payment_order_status_created_at_index\` on \`payment_order\` (\`status\`, \`created_at\`);`);
    this.addSql(`create unique index \`payment_order_application_id_unique\` on \`payment_order\` (\`application_id\`);`);

    this.addSql(`create table \`reconciliation_report\` (\`id\` text not null, \`date\` text not null, \`checked\` integer not null, \`fixed\` integer not null, \`differences\` json not null, \`ran_by\` text not null, \`ran_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`reconciliation_report_date_index\` on \`reconciliation_report\` (\`date\`);`);
  }

}
