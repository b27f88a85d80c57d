// The plan as it stood at each shift start (issue 15 item 6): one claim row per shift start (its
// primary key makes "written once" hold with several instances — the first to insert it writes the
// bars in the same transaction, the others' inserts fail and they skip), and the planned bars then
// (lot, step, machine, forecast start/end, the units still to make). Frozen once landed.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const key = 'varchar(64)';
  await db.schema
    .createTable('plan_baseline_shifts')
    .addColumn('shift_start', 'bigint', (c) => c.primaryKey())
    .addColumn('shift_end', 'bigint', (c) => c.notNull())
    .addColumn('taken_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('plan_baselines')
    .addColumn('shift_start', 'bigint', (c) => c.notNull().references('plan_baseline_shifts.shift_start'))
    .addColumn('lot', key, (c) => c.notNull())
    .addColumn('step', 'integer', (c) => c.notNull())
    .addColumn('machine_key', key, (c) => c.notNull())
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('end_at', 'bigint', (c) => c.notNull())
    .addColumn('remaining', 'double precision', (c) => c.notNull())
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addPrimaryKeyConstraint('plan_baselines_pk', ['shift_start', 'lot', 'step'])
    .execute();
  await db.schema.createIndex('plan_baselines_machine').on('plan_baselines').columns(['machine_key', 'shift_start']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('plan_baselines').execute();
  await db.schema.dropTable('plan_baseline_shifts').execute();
}
