import { Migration } from '@mikro-orm/migrations';

export class Migration20261126082729 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`application\` (\`id\` text not null, \`receipt_number\` text not null, \`policy_id\` text not null, \`policy_version\` integer not null, \`policy_title\` text not null, \`mode\` text not null, \`department\` text not null, \`region_code\` text not null, \`credit_code\` text not null, \`enterprise_name\` text not null, \`channel\` text not null, \`intake_department\` text null, \`status\` text not null, \`period\` text not null, \`data\` json not null, \`review_days\` integer not null, \`commitment_signed_at\` datetime null, \`commitment_text\` text null, \`missing_materials\` json not null, \`tolerated_materials\` json not null, \`amount_fen\` bigint null, \`payee_account\` text null, \`payee_bank\` text null, \`screening_id\` text null, \`decision_id\` text null, \`decision_digest\` text null, \`rejection_reason\` text null, \`policy_explanation\` text null, \`joint_audit_verdict\` text null, \`joint_audit_reasons\` json null, \`joint_audit_findings\` json null, \`state_entered_at\` datetime not null, \`deadline\` text null, \`deadline_workdays\` integer null, \`deadline_problem\` text null, \`step_count\` integer not null default 0, \`submitted_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`application_receipt_number_unique\` on \`application\` (\`receipt_number\`);`);
    this.addSql(`create index \`application_intake_department_id_index\` on \`application\` (\`intake_department\`, \`id\`);`);
    this.addSql(`create index \`application_region_code_status_index\` on \`application\` (\`region_code\`, \`status\`);`);
    this.addSql(`create index \`application_department_status_index\` on \`application\` (\`department\`, \`status\`);`);
    this.addSql(`create index \`application_credit_code_id_index\` on \`application\` (\`credit_code\`, \`id\`);`);
    this.addSql(`create unique index \`application_policy_id_credit_code_period_unique\` on \`application\` (\`policy_id\`, \`credit_code\`, \`period\`);`);

    this.addSql(`create table \`application_material\` (\`id\` text not null, \`application_id\` text not null, \`name\` text not null, \`upload_id\` text null, \`held_by_government\` integer not null default false, \`sha256\` text null, \`media_type\` text null, \`size\` integer null, constraint \`application_material_application_id_foreign\` foreign key(\`application_id\`) references \`application\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`application_material_application_id_index\` on \`application_material\` (\`application_id\`);`);
    this.addSql(`create unique index \`application_material_application_id_name_unique\` on \`application_material\` (\`application_id\`, \`name\`);`);

    this.addSql(`create table \`application_step\` (\`id\` text not null, \`application_id\` text not null, \`seq\` integer not null, \`action\` text not null, \`from_status\` text null, \`to_status\` text not null, \`actor_role\` text not null, \`actor_subject\` text null, \`actor_department\` text null, \`at\` datetime not null, \`note\` text null, \`deadline\` text null, \`details\` json null, constraint \`application_step_application_id_foreign\` foreign key(\`application_id\`) references \`application\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`application_step_application_id_index\` on \`application_step\` (\`application_id\`);`);
    this.addSql(`create unique index \`application_step_application_id_seq_unique\` on \`application_step\` (\`application_id\`, \`seq\`);`);
  }

}
