import { Migration } from '@mikro-orm/migrations';

export class Migration20261126015818 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`audit_checkpoint\` (\`seq\` integer not null, \`hash\` text not null, \`signed_at\` datetime not null, \`signature\` text not null, \`key_id\` text not null, primary key (\`seq\`));`);

    this.addSql(`create table \`audit_entry\` (\`seq\` integer not null, \`event_id\` text not null, \`kind\` text check (\`kind\` in ('MUTATION', 'ACCESS')) not null, \`event_type\` text not null, \`source\` text not null, \`actor_subject\` text null, \`actor_role\` text null, \`actor_region\` text null, \`actor_department\` text null, \`actor_credit_code\` text null, \`action\` text not null, \`operation\` text null, \`entity\` text null, \`entity_id\` text null, \`enterprises\` json not null, \`region_code\` text null, \`owner_department\` text null, \`purpose\` text null, \`unmasked\` json not null, \`before\` json null, \`after\` json null, \`occurred_at\` datetime not null, \`recorded_at\` datetime not null, \`request_id\` text null, \`trace_id\` text null, \`prev_hash\` text not null, \`hash\` text not null, primary key (\`seq\`));`);
    this.addSql(`create unique index \`audit_entry_event_id_unique\` on \`audit_entry\` (\`event_id\`);`);
    this.addSql(`create index \`audit_entry_entity_seq_index\` on \`audit_entry\` (\`entity\`, \`seq\`);`);
    this.addSql(`create index \`audit_entry_action_seq_index\` on \`audit_entry\` (\`action\`, \`seq\`);`);
    this.addSql(`create index \`audit_entry_actor_subject_seq_index\` on \`audit_entry\` (\`actor_subject\`, \`seq\`);`);
    this.addSql(`create index \`audit_entry_owner_department_region_code_seq_index\` on \`audit_entry\` (\`owner_department\`, \`region_code\`, \`seq\`);`);
    this.addSql(`create index \`audit_entry_actor_department_seq_index\` on \`audit_entry\` (\`actor_department\`, \`seq\`);`);
    this.addSql(`create index \`audit_entry_occurred_at_index\` on \`audit_entry\` (\`occurred_at\`);`);

    this.addSql(`create table \`audit_entry_enterprise\` (\`credit_code\` text not null, \`seq\` integer not null, primary key (\`credit_code\`, \`seq\`));`);
    this.addSql(`create index \`audit_entry_enterprise_seq_index\` on \`audit_entry_enterprise\` (\`seq\`);`);
  }

}
