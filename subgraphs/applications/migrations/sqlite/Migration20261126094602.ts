import { Migration } from '@mikro-orm/migrations';

export class Migration20261126094602 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`archived_dossier\` (\`application_id\` text not null, \`region_code\` text not null, \`credit_code\` text not null, \`json\` text not null, \`sha256\` text not null, \`archived_at\` datetime not null, primary key (\`application_id\`));`);
    this.addSql(`create index \`archived_dossier_region_code_application_id_index\` on \`archived_dossier\` (\`region_code\`, \`application_id\`);`);
  }

}
