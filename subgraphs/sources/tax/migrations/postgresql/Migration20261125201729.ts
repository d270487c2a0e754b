import { Migration } from '@mikro-orm/migrations';

export class Migration20261125201729 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "tax_profile_region_code_credit_code_index" on "tax"."tax_profile" ("region_code", "credit_code");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "tax"."tax_profile_region_code_credit_code_index";`);
  }

}
