import { Migration } from '@mikro-orm/migrations';

export class Migration20261126023125 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "statistics"."statistics_record" add column "above_scale_since" int null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "statistics"."statistics_record" drop column "above_scale_since";`);
  }

}
