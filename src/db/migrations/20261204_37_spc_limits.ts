// Frozen control limits of a measurement channel (issue 14 item 3): each computation from a chosen
// baseline period is a new version (never edited), audited; charts and alerts use the newest.
// Frozen once landed.
import type { Kysely } from 'kysely';
import { migrationDialect, withSerialId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = migrationDialect(db);
  await withSerialId(db.schema.createTable('spc_limits'), dialect)
    .addColumn('channel_id', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('subgroup_minutes', 'integer', (c) => c.notNull())
    // 'western-electric' | 'nelson' | 'none': run rules on the chart of means (the drift detector always runs)
    .addColumn('rules', 'varchar(32)', (c) => c.notNull())
    .addColumn('centre', 'double precision', (c) => c.notNull())
    .addColumn('sigma_of_means', 'double precision', (c) => c.notNull())
    .addColumn('sigma_within', 'double precision')
    .addColumn('degrees_of_freedom', 'double precision', (c) => c.notNull())
    .addColumn('ewma_sd', 'double precision', (c) => c.notNull())
    .addColumn('lambda', 'double precision', (c) => c.notNull())
    .addColumn('width', 'double precision', (c) => c.notNull())
    .addColumn('subgroups', 'integer', (c) => c.notNull())
    .addColumn('baseline_from', 'bigint', (c) => c.notNull())
    .addColumn('baseline_to', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'varchar(500)', (c) => c.notNull())
    .addUniqueConstraint('spc_limits_version', ['channel_id', 'version'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('spc_limits').execute();
}
