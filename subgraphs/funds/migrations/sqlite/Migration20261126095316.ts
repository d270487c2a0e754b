import { Migration } from '@mikro-orm/migrations';

export class Migration20261126095316 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`sim_bank_account\` (\`account_no\` text not null, \`bank_name\` text not null, \`holder\` text null, \`payer\` integer not null default false, \`balance_fen\` bigint not null default 0, \`opened_at\` datetime not null, primary key (\`account_no\`));`);

    this.addSql(`create table \`sim_bank_fault\` (\`id\` integer not null primary key autoincrement, \`kind\` text not null, \`order_id\` text null, \`remaining\` integer not null, \`reason\` text null, \`created_at\` datetime not null);`);
    this.addSql(`create index \`sim_bank_fault_order_id_index\` on \`sim_bank_fault\` (\`order_id\`);`);

    this.addSql(`create table \`sim_bank_line\` (\`seq\` integer not null primary key autoincrement, \`date\` text not null, \`at\` datetime not null, \`kind\` text not null, \`order_id\` text not null, \`bank_reference\` text not null, \`amount_fen\` bigint not null, \`payee_account\` text not null, \`payee_bank\` text not null, \`memo\` text not null, \`reason\` text null, \`balance_after_fen\` bigint not null);`);
    this.addSql(`create index \`sim_bank_line_order_id_index\` on \`sim_bank_line\` (\`order_id\`);`);
    this.addSql(`create index \`sim_bank_line_date_seq_index\` on \`sim_bank_line\` (\`date\`, \`seq\`);`);

    this.addSql(`create table \`sim_bank_order\` (\`order_id\` text not null, \`state\` text not null, \`attempts\` integer not null default 0, \`bank_reference\` text null, \`reason\` text null, \`at\` datetime null, \`amount_fen\` bigint not null, \`payee_account\` text not null, \`payee_bank\` text not null, \`memo\` text not null, primary key (\`order_id\`));`);

    this.addSql(`alter table \`budget_indicator\` add column \`city_share_bp\` integer null;`);
  }

}
