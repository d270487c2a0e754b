import { Migration } from '@mikro-orm/migrations';

export class Migration20261125201729 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index \`tax_profile_region_code_credit_code_index\` on \`tax_profile\` (\`region_code\`, \`credit_code\`);`);
  }

}
