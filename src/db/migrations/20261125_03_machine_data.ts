// Machine data: raw cycles, ingest ledger and errors, derived gaps and counts, stop reasons, OEE
// profiles. Frozen once landed.
import { sql, type Kysely } from 'kysely';
import { migrationDialect, withSerialId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = migrationDialect(db);
  const key = 'varchar(64)';
  // A day of packed gaps is ~8 KB; MySQL's plain BLOB stops at 64 KB, so give it room.
  const blob = dialect === 'postgres' ? sql`bytea` : dialect === 'mysql' ? sql`mediumblob` : sql`blob`;

  await db.schema
    .createTable('cycles')
    .addColumn('machine_key', key, (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('item', 'varchar(16)', (c) => c.notNull())
    .addColumn('lot', 'varchar(40)', (c) => c.notNull())
    .addColumn('serial', 'varchar(24)', (c) => c.notNull())
    .addColumn('part', 'integer', (c) => c.notNull())
    .addColumn('rework', 'integer', (c) => c.notNull())
    .addColumn('file_id', 'bigint', (c) => c.notNull())
    .addColumn('line', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cycles_machine_at').on('cycles').columns(['machine_key', 'at']).execute();

  await withSerialId(db.schema.createTable('ingest_files'), dialect)
    .addColumn('machine_key', key, (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('path', 'varchar(1000)')
    .addColumn('source', 'varchar(16)', (c) => c.notNull())
    .addColumn('identity', 'varchar(100)', (c) => c.notNull())
    .addColumn('identity_bytes', 'integer', (c) => c.notNull())
    .addColumn('consumed_bytes', 'bigint', (c) => c.notNull())
    .addColumn('consumed_lines', 'bigint', (c) => c.notNull())
    .addColumn('prefix_sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('cycles', 'bigint', (c) => c.notNull())
    .addColumn('errors', 'bigint', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('message', 'text')
    .addColumn('first_at', 'bigint')
    .addColumn('last_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ingest_files_identity').on('ingest_files').columns(['machine_key', 'identity']).unique().execute();
  await db.schema.createIndex('ingest_files_name').on('ingest_files').columns(['machine_key', 'name']).execute();

  await withSerialId(db.schema.createTable('ingest_errors'), dialect)
    .addColumn('file_id', 'bigint', (c) => c.notNull())
    .addColumn('machine_key', key, (c) => c.notNull())
    .addColumn('line', 'bigint', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ingest_errors_file').on('ingest_errors').column('file_id').execute();
  await db.schema.createIndex('ingest_errors_machine').on('ingest_errors').columns(['machine_key', 'id']).execute();

  await db.schema
    .createTable('gaps')
    .addColumn('machine_key', key, (c) => c.notNull())
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('end_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('gaps_machine_start').on('gaps').columns(['machine_key', 'start_at']).execute();

  await db.schema
    .createTable('gap_days')
    .addColumn('machine_key', key, (c) => c.notNull())
    .addColumn('day', 'bigint', (c) => c.notNull())
    .addColumn('gaps', 'integer', (c) => c.notNull())
    .addColumn('data', blob, (c) => c.notNull())
    .addPrimaryKeyConstraint('gap_days_pk', ['machine_key', 'day'])
    .execute();

  for (const [table, period] of [['minute_counts', 'minute'], ['hour_counts', 'hour']] as const) {
    await db.schema
      .createTable(table)
      .addColumn('machine_key', key, (c) => c.notNull())
      .addColumn(period, 'bigint', (c) => c.notNull())
      .addColumn('cycles', 'integer', (c) => c.notNull())
      .addColumn('parts', 'integer', (c) => c.notNull())
      .addColumn('empty', 'integer', (c) => c.notNull())
      .addColumn('reworks', 'integer', (c) => c.notNull())
      .addColumn('first_part_at', 'bigint')
      .addColumn('last_part_at', 'bigint')
      .addColumn('first_at', 'bigint', (c) => c.notNull())
      .addColumn('last_at', 'bigint', (c) => c.notNull())
      .addColumn('gap_ms', 'bigint', (c) => c.notNull())
      .addColumn('lead_in_ms', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['machine_key', period])
      .execute();
  }

  await db.schema
    .createTable('lot_counts')
    .addColumn('machine_key', key, (c) => c.notNull())
    .addColumn('lot', 'varchar(40)', (c) => c.notNull())
    .addColumn('item', 'varchar(16)', (c) => c.notNull())
    .addColumn('cycles', 'bigint', (c) => c.notNull())
    .addColumn('parts', 'bigint', (c) => c.notNull())
    .addColumn('reworks', 'bigint', (c) => c.notNull())
    .addColumn('first_at', 'bigint', (c) => c.notNull())
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('lot_counts_pk', ['machine_key', 'lot'])
    .execute();
  await db.schema.createIndex('lot_counts_last').on('lot_counts').columns(['machine_key', 'last_at']).execute();

  await db.schema
    .createTable('machine_state')
    .addColumn('machine_key', key, (c) => c.primaryKey())
    .addColumn('first_at', 'bigint')
    .addColumn('last_at', 'bigint')
    .addColumn('max_gap_ms', 'bigint', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('mqtt_messages')
    .addColumn('machine_key', key, (c) => c.notNull())
    .addColumn('message_key', 'varchar(80)', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('mqtt_messages_pk', ['machine_key', 'message_key'])
    .execute();
  await db.schema.createIndex('mqtt_messages_received').on('mqtt_messages').column('received_at').execute();

  await db.schema
    .createTable('stop_reasons')
    .addColumn('machine_key', key, (c) => c.notNull())
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'varchar(64)')
    .addColumn('comment', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'varchar(120)', (c) => c.notNull())
    .addPrimaryKeyConstraint('stop_reasons_pk', ['machine_key', 'start_at'])
    .execute();

  await db.schema
    .createTable('oee_profiles')
    .addColumn('name', key, (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('oee_profile_versions')
    .addColumn('name', key, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'varchar(120)', (c) => c.notNull())
    .addPrimaryKeyConstraint('oee_profile_versions_pk', ['name', 'version'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'oee_profile_versions', 'oee_profiles', 'stop_reasons', 'mqtt_messages', 'machine_state', 'lot_counts', 'hour_counts',
    'minute_counts', 'gap_days', 'gaps', 'ingest_errors', 'ingest_files', 'cycles',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
