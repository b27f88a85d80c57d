// What-if scenarios (issue 15 item 3): a named sandbox over the live plan (its basis fingerprint and
// per-machine queues at the copy, the typed edits, a version for optimistic concurrency, its state),
// and a machine's planned downtime on the live plant (what publishing a "line down" writes; the
// planner takes it out of the machine's working time). Frozen once landed.
import type { Kysely } from 'kysely';
import { migrationDialect, withSerialId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = migrationDialect(db);
  await withSerialId(db.schema.createTable('plan_scenarios'), dialect)
    .addColumn('name', 'varchar(120)', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('created_by', 'varchar(120)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('basis', 'varchar(64)', (c) => c.notNull())
    .addColumn('basis_at', 'bigint', (c) => c.notNull())
    .addColumn('basis_queues', 'text', (c) => c.notNull())
    .addColumn('edits', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('state', 'varchar(16)', (c) => c.notNull().defaultTo('open'))
    .addColumn('published_at', 'bigint')
    .addColumn('published_by', 'varchar(120)')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('plan_scenarios_state').on('plan_scenarios').columns(['state', 'id']).execute();

  await withSerialId(db.schema.createTable('machine_downtime'), dialect)
    // no foreign key: a deleted machine's old downtime is history the planner ignores, not a reason to refuse the deletion
    .addColumn('machine_key', 'varchar(64)', (c) => c.notNull())
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('end_at', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'varchar(120)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('machine_downtime_machine').on('machine_downtime').columns(['machine_key', 'end_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('machine_downtime').execute();
  await db.schema.dropTable('plan_scenarios').execute();
}
