import { Migration } from '@mikro-orm/migrations';

// Trimmed by hand: MikroORM's SQLite diff also proposed rebuilding the kit's `kit_outbox` unchanged.
export class Migration20261126023124 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`statistics_record\` add column \`above_scale_since\` integer null;`);
  }

}
