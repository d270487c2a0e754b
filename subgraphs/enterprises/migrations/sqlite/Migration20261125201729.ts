import { Migration } from '@mikro-orm/migrations';

// Trimmed by hand: MikroORM's SQLite diff also proposed rebuilding `region` unchanged (see docs/architecture.md).
export class Migration20261125201729 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index \`enterprise_region_code_credit_code_index\` on \`enterprise\` (\`region_code\`, \`credit_code\`);`);
  }

}
