// Measurement channels (issue 14 items 1–2): per machine any number of channels (film thickness,
// seal-bar temperature, vacuum …), their samples, the per-minute statistics derived from them, and
// a small ledger of what was consumed of each measurement file (the camera's ingest_files belongs to
// machine data and counts cycles; this one counts samples).
// - measurement_channels: key unique per machine (machines are keyed by machine_key like the other
//   machine tables); limits optional; source config as JSON; version for optimistic concurrency.
// - measurement_samples: unique (channel_id, at) — a re-import never stores a sample twice.
// - measurement_minutes: n, sum, sum of squares, min, max per channel and UTC minute: any window's
//   mean / sd / range from a few rows; kept exact as samples are added (late ones included).
// - measurement_files: bytes / lines consumed and the sha256 of that prefix, moved in the same
//   transaction as the samples they produced.
// Frozen once landed.
import type { Kysely } from 'kysely';
import { migrationDialect, withSerialId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = migrationDialect(db);
  const key = 'varchar(64)';
  const real = 'double precision';
  await withSerialId(db.schema.createTable('measurement_channels'), dialect)
    .addColumn('machine_key', key, (c) => c.notNull())
    .addColumn('key', key, (c) => c.notNull())
    .addColumn('name', 'varchar(120)', (c) => c.notNull())
    .addColumn('quantity', 'varchar(64)', (c) => c.notNull())
    .addColumn('unit', 'varchar(32)', (c) => c.notNull())
    .addColumn('target', real)
    .addColumn('lsl', real)
    .addColumn('usl', real)
    .addColumn('sample_period_seconds', real, (c) => c.notNull())
    .addColumn('source_json', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('measurement_channels_key').on('measurement_channels').columns(['machine_key', 'key']).unique().execute();

  await db.schema
    .createTable('measurement_samples')
    .addColumn('channel_id', 'bigint', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('value', real, (c) => c.notNull())
    .addColumn('file_id', 'bigint')
    .addColumn('line', 'bigint')
    .addPrimaryKeyConstraint('measurement_samples_pk', ['channel_id', 'at'])
    .execute();

  await db.schema
    .createTable('measurement_minutes')
    .addColumn('channel_id', 'bigint', (c) => c.notNull())
    .addColumn('minute', 'bigint', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('sum_value', real, (c) => c.notNull())
    .addColumn('sum_sq', real, (c) => c.notNull())
    .addColumn('min_value', real, (c) => c.notNull())
    .addColumn('max_value', real, (c) => c.notNull())
    .addPrimaryKeyConstraint('measurement_minutes_pk', ['channel_id', 'minute'])
    .execute();

  await withSerialId(db.schema.createTable('measurement_files'), dialect)
    .addColumn('machine_key', key, (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('source', 'varchar(16)', (c) => c.notNull())
    .addColumn('identity', 'varchar(100)', (c) => c.notNull())
    .addColumn('consumed_bytes', 'bigint', (c) => c.notNull())
    .addColumn('consumed_lines', 'bigint', (c) => c.notNull())
    .addColumn('prefix_sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('samples', 'bigint', (c) => c.notNull())
    .addColumn('duplicates', 'bigint', (c) => c.notNull())
    .addColumn('errors', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'varchar(120)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('measurement_files_identity').on('measurement_files').columns(['machine_key', 'identity']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['measurement_files', 'measurement_minutes', 'measurement_samples', 'measurement_channels']) await db.schema.dropTable(table).execute();
}
