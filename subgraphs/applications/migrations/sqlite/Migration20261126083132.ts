import { Migration } from '@mikro-orm/migrations';

export class Migration20261126083132 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`material_upload\` (\`id\` text not null, \`sha256\` text not null, \`size\` integer not null, \`media_type\` text not null, \`file_name\` text not null, \`credit_code\` text not null, \`region_code\` text not null, \`uploaded_by_role\` text not null, \`uploaded_by_subject\` text null, \`uploaded_by_department\` text null, \`uploaded_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`material_upload_sha256_index\` on \`material_upload\` (\`sha256\`);`);
    this.addSql(`create index \`material_upload_credit_code_uploaded_at_index\` on \`material_upload\` (\`credit_code\`, \`uploaded_at\`);`);
  }

}
