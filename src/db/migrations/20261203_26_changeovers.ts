// Product families and the changeover matrix (issue 15 item 1): a product's family (null = its own),
// a machine's last family as the planner set it (and when), the rules of each process group's matrix
// with a version per group for optimistic concurrency, and the changeover the planner forecast for an
// operation (its minutes and when the lead-in ends). Frozen once landed.
import type { Kysely } from 'kysely';
import { migrationDialect, withSerialId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = migrationDialect(db);
  const key = 'varchar(64)';

  await db.schema.alterTable('products').addColumn('family', key).execute();
  await db.schema.alterTable('machines').addColumn('last_family', key).execute();
  await db.schema.alterTable('machines').addColumn('last_family_set_at', 'bigint').execute();
  await db.schema.alterTable('process_groups').addColumn('changeover_version', 'integer', (c) => c.notNull().defaultTo(1)).execute();

  await withSerialId(db.schema.createTable('changeover_rules'), dialect)
    .addColumn('group_key', key, (c) => c.notNull().references('process_groups.key'))
    .addColumn('from_family', key, (c) => c.notNull())
    .addColumn('to_family', key, (c) => c.notNull())
    .addColumn('minutes', 'double precision', (c) => c.notNull())
    .addUniqueConstraint('changeover_rules_pair', ['group_key', 'from_family', 'to_family'])
    .execute();

  await db.schema.alterTable('operations').addColumn('forecast_changeover_minutes', 'double precision', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('operations').addColumn('forecast_changeover_end', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('operations').dropColumn('forecast_changeover_end').execute();
  await db.schema.alterTable('operations').dropColumn('forecast_changeover_minutes').execute();
  await db.schema.dropTable('changeover_rules').execute();
  await db.schema.alterTable('process_groups').dropColumn('changeover_version').execute();
  await db.schema.alterTable('machines').dropColumn('last_family_set_at').execute();
  await db.schema.alterTable('machines').dropColumn('last_family').execute();
  await db.schema.alterTable('products').dropColumn('family').execute();
}
