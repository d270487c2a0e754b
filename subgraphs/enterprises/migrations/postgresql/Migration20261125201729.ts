import { Migration } from '@mikro-orm/migrations';

export class Migration20261125201729 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "enterprise_region_code_credit_code_index" on "enterprises"."enterprise" ("region_code", "credit_code");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "enterprises"."enterprise_region_code_credit_code_index";`);
  }

}
