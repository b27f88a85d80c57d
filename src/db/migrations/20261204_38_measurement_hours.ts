// Hourly statistics of measurement channels (issue 14: a chart or series of a year reads 8 760 rows
// instead of 525 600 minutes), kept in the transaction of the samples like the minutes; existing
// minutes are rolled up once here. Frozen once landed.
import { sql, type Kysely } from 'kysely';
import { migrationDialect } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('measurement_hours')
    .addColumn('channel_id', 'bigint', (c) => c.notNull())
    .addColumn('hour', 'bigint', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .addColumn('sum_value', 'double precision', (c) => c.notNull())
    .addColumn('sum_sq', 'double precision', (c) => c.notNull())
    .addColumn('min_value', 'double precision', (c) => c.notNull())
    .addColumn('max_value', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('measurement_hours_pk', ['channel_id', 'hour'])
    .execute();
  const hour = migrationDialect(db) === 'mysql' ? sql`(minute div 3600000) * 3600000` : sql`(minute / 3600000) * 3600000`;
  await sql`insert into measurement_hours (channel_id, hour, n, sum_value, sum_sq, min_value, max_value)
    select channel_id, ${hour}, sum(n), sum(sum_value), sum(sum_sq), min(min_value), max(max_value) from measurement_minutes group by channel_id, ${hour}`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('measurement_hours').execute();
}
