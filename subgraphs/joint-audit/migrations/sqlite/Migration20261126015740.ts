import { Migration } from '@mikro-orm/migrations';

export class Migration20261126015740 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`joint_audit_policy_rules\` (\`policy_code\` text not null, \`region_code\` text not null, \`rules\` json not null, \`updated_at\` datetime not null, primary key (\`policy_code\`));`);
  }

}
