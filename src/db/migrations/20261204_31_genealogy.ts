// Genealogy (issue 16 item 3): which lots a kitting work order consumed, and how many of each.
// - genealogy_consuming_groups: process groups whose steps consume other lots' output (kitting). A
//   table rather than a hard-coded group key, so a plant with another assembly area marks it too;
//   'kitting' (the demo plant's and the original system's kitting area) is marked here.
// - kit_consumption_sets: one row per kit lot whose consumption was entered by someone — its version
//   (optimistic concurrency) and who saved it last. No row = the routing's derived link applies.
// - lot_consumptions: the entered links, consumed (source) lot and step → kit lot and step, quantity.
// No foreign keys to work_orders: deleting a lot must not fail on (or silently cascade into) the
// regulated genealogy record; a trace names a link to a lot that no longer exists. Frozen once landed.
import type { Kysely } from 'kysely';
import { migrationDialect, withSerialId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = migrationDialect(db);
  const lot = 'varchar(40)';
  await db.schema
    .createTable('genealogy_consuming_groups')
    .addColumn('group_key', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('genealogy_consuming_groups').values({ group_key: 'kitting', created_at: Date.now() }).execute();
  await db.schema
    .createTable('kit_consumption_sets')
    .addColumn('kit_lot', lot, (c) => c.primaryKey())
    .addColumn('kit_step', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'varchar(120)', (c) => c.notNull())
    .execute();
  await withSerialId(db.schema.createTable('lot_consumptions'), dialect)
    .addColumn('kit_lot', lot, (c) => c.notNull())
    .addColumn('kit_step', 'integer', (c) => c.notNull())
    .addColumn('source_lot', lot, (c) => c.notNull())
    .addColumn('source_step', 'integer', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('entered_at', 'bigint', (c) => c.notNull())
    .addColumn('entered_by', 'varchar(120)', (c) => c.notNull())
    .execute();
  // forward trace (where did this lot go) and backward trace (what is in this kit lot)
  await db.schema.createIndex('lot_consumptions_source').on('lot_consumptions').columns(['source_lot', 'source_step']).execute();
  await db.schema.createIndex('lot_consumptions_kit').on('lot_consumptions').columns(['kit_lot', 'kit_step']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('lot_consumptions').execute();
  await db.schema.dropTable('kit_consumption_sets').execute();
  await db.schema.dropTable('genealogy_consuming_groups').execute();
}
