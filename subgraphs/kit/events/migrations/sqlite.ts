import { Migration } from '@mikro-orm/migrations';

/** The kit's tables (events/entities.ts) on SQLite; runs before a subgraph's own migrations. */
export class KitMigration20261126020000 extends Migration {
  override async up(): Promise<void> {
    this.addSql("create table `kit_outbox` (`seq` integer not null primary key autoincrement, `id` text not null, `family` text not null, `type` text not null, `source` text not null, `occurred_at` datetime not null, `request_id` text null, `trace_id` text null, `payload` json not null, `published_at` datetime null);");
    this.addSql('create unique index `kit_outbox_id_unique` on `kit_outbox` (`id`);');
    this.addSql('create index `kit_outbox_published_at_index` on `kit_outbox` (`published_at`);');

    this.addSql('create table `kit_inbox` (`consumer` text not null, `event_id` text not null, `handled_at` datetime not null, primary key (`consumer`, `event_id`));');

    this.addSql('create table `kit_relay_cursor` (`consumer` text not null, `position` bigint not null, primary key (`consumer`));');

    this.addSql('create table `kit_delivery` (`consumer` text not null, `seq` bigint not null, `event_id` text not null, `state` text not null, `attempts` integer not null, `next_attempt_at` datetime null, `last_error` text null, primary key (`consumer`, `seq`));');

    this.addSql("create table `kit_dead_letter` (`id` integer not null primary key autoincrement, `consumer` text not null, `event_id` text not null, `family` text not null, `type` text not null, `source` text not null, `event` json not null, `attempts` integer not null, `error` text not null, `dead_at` datetime not null);");
    this.addSql('create index `kit_dead_letter_dead_at_index` on `kit_dead_letter` (`dead_at`);');
    this.addSql('create unique index `kit_dead_letter_consumer_event_id_unique` on `kit_dead_letter` (`consumer`, `event_id`);');
  }

  override async down(): Promise<void> {
    for (const table of ['kit_dead_letter', 'kit_delivery', 'kit_relay_cursor', 'kit_inbox', 'kit_outbox']) this.addSql(`drop table if exists \`${table}\`;`);
  }
}
