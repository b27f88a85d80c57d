// Forecast history: one row each time a lot operation's forecast changed; the operations' recommended
// rate, and 'recommended' as the site's default rate mode (issue 12 item 2). Frozen once landed.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('forecast_history')
    .addColumn('lot', 'varchar(64)', (c) => c.notNull())
    .addColumn('step', 'integer', (c) => c.notNull())
    .addColumn('machine_key', 'varchar(64)', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('produced', 'integer', (c) => c.notNull())
    .addColumn('remaining', 'integer', (c) => c.notNull())
    .addColumn('standard_end', 'bigint')
    .addColumn('observed_end', 'bigint')
    .addColumn('observed_rate_per_hour', 'double precision', (c) => c.notNull())
    .addColumn('forecast_end', 'bigint', (c) => c.notNull())
    .addColumn('method', 'varchar(16)', (c) => c.notNull())
    .addPrimaryKeyConstraint('forecast_history_pk', ['lot', 'step', 'at'])
    .execute();
  // the machine's learned rate for the operation, which drives the plan in rate mode 'recommended'
  await db.schema.alterTable('operations').addColumn('recommended_rate_per_hour', 'double precision').execute();
  // 'recommended' becomes the site default; a site that chose 'observed' keeps it
  await db.updateTable('site').set({ default_rate_mode: 'recommended' }).where('default_rate_mode', '=', 'standard').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.updateTable('site').set({ default_rate_mode: 'standard' }).where('default_rate_mode', '=', 'recommended').execute();
  await db.schema.alterTable('operations').dropColumn('recommended_rate_per_hour').execute();
  await db.schema.dropTable('forecast_history').execute();
}
