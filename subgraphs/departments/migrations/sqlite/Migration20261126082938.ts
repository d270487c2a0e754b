import { Migration } from '@mikro-orm/migrations';

export class Migration20261126082938 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`department_case\` (\`id\` text not null, \`application_id\` text not null, \`receipt_number\` text not null, \`policy_id\` text not null, \`policy_version\` integer not null, \`policy_title\` text not null, \`mode\` text not null, \`department\` text not null, \`region_code\` text not null, \`credit_code\` text not null, \`enterprise_name\` text not null, \`channel\` text not null, \`accepted_at\` datetime not null, \`received_at\` datetime not null, \`deadline\` text null, \`materials\` json not null, \`tolerated\` json not null, \`form_data\` json not null, \`status\` text not null, \`assignee\` text null, \`assigned_at\` datetime null, \`decision_id\` text null, \`outcome\` text null, \`amount_fen\` bigint null, \`payee_account\` text null, \`payee_bank\` text null, \`reason\` text null, \`policy_explanation\` text null, \`note\` text null, \`decided_at\` datetime null, \`decided_by\` text null, \`pushed_at\` datetime null, \`push_error\` text null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`department_case_receipt_number_unique\` on \`department_case\` (\`receipt_number\`);`);
    this.addSql(`create index \`department_case_credit_code_index\` on \`department_case\` (\`credit_code\`);`);
    this.addSql(`create index \`department_case_department_receipt_number_index\` on \`department_case\` (\`department\`, \`receipt_number\`);`);
    this.addSql(`create index \`department_case_department_status_receipt_number_index\` on \`department_case\` (\`department\`, \`status\`, \`receipt_number\`);`);
    this.addSql(`create unique index \`department_case_application_id_unique\` on \`department_case\` (\`application_id\`);`);

    this.addSql(`create table \`department_case_record\` (\`id\` text not null, \`case_id\` text not null, \`kind\` text not null, \`date\` text not null, \`people\` json not null, \`findings\` text not null, \`conclusion\` text not null, \`recorded_by\` text null, \`recorded_at\` datetime not null, \`pushed_at\` datetime null, \`push_error\` text null, primary key (\`id\`));`);
    this.addSql(`create index \`department_case_record_case_id_recorded_at_index\` on \`department_case_record\` (\`case_id\`, \`recorded_at\`);`);
  }

}
