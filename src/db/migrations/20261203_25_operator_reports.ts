// Operator reports (issue 13): reason trees per process group (versioned: a stop keeps the version
// and category it was given), the reasons of stops as segments (a long stop can be split into two
// reasons), scrap by reason and lot, crew on the line, and the shift log that a lead signs. The free
// reason codes of stop_reasons move into stop_reason_segments (category unknown) and that table goes.
// Frozen once landed.
import { sql, type Kysely } from 'kysely';
import { migrationDialect, withSerialId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = migrationDialect(db);
  const key = 'varchar(64)';
  const who = 'varchar(120)';

  await db.schema
    .createTable('reason_trees')
    .addColumn('process_group', key, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', who, (c) => c.notNull())
    .addPrimaryKeyConstraint('reason_trees_pk', ['process_group', 'version'])
    .execute();

  await db.schema
    .createTable('stop_reason_segments')
    .addColumn('machine_key', key, (c) => c.notNull())
    .addColumn('stop_start', 'bigint', (c) => c.notNull())
    .addColumn('segment_start', 'bigint', (c) => c.notNull())
    .addColumn('stop_end', 'bigint', (c) => c.notNull())
    .addColumn('reason_id', key)
    .addColumn('tree_version', 'integer')
    .addColumn('category', 'varchar(24)')
    .addColumn('label', 'varchar(400)')
    .addColumn('comment', 'text')
    .addColumn('entered_by', who, (c) => c.notNull())
    .addColumn('entered_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('stop_reason_segments_pk', ['machine_key', 'stop_start', 'segment_start'])
    .execute();
  await db.schema.createIndex('stop_reason_segments_end').on('stop_reason_segments').columns(['machine_key', 'stop_end']).execute();
  // the free codes given so far: kept as they were (no category: the loss model treats them as unplanned downtime)
  await sql`insert into stop_reason_segments (machine_key, stop_start, segment_start, stop_end, reason_id, tree_version, category, label, comment, entered_by, entered_at)
    select r.machine_key, r.start_at, r.start_at, coalesce((select max(g.end_at) from gaps g where g.machine_key = r.machine_key and g.start_at = r.start_at), r.start_at),
      r.reason, null, null, r.reason, r.comment, r.updated_by, r.updated_at
    from stop_reasons r`.execute(db);
  await db.schema.dropTable('stop_reasons').execute();

  await withSerialId(db.schema.createTable('scrap_entries'), dialect)
    .addColumn('machine_key', key, (c) => c.notNull())
    .addColumn('shift_start', 'bigint', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('lot', 'varchar(40)', (c) => c.notNull())
    .addColumn('reason_id', key, (c) => c.notNull())
    .addColumn('tree_version', 'integer', (c) => c.notNull())
    .addColumn('category', 'varchar(24)', (c) => c.notNull())
    .addColumn('label', 'varchar(400)', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('rework', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('entered_by', who, (c) => c.notNull())
    .addColumn('entered_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scrap_entries_machine_at').on('scrap_entries').columns(['machine_key', 'at']).execute();

  await withSerialId(db.schema.createTable('shift_logs'), dialect)
    .addColumn('machine_key', key, (c) => c.notNull())
    .addColumn('shift_start', 'bigint', (c) => c.notNull())
    .addColumn('shift_end', 'bigint', (c) => c.notNull())
    .addColumn('state', 'varchar(12)', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('open_issues', 'text')
    .addColumn('reported_count', 'integer')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('submitted_by', who)
    .addColumn('submitted_at', 'bigint')
    .addColumn('signed_by', who)
    .addColumn('signed_at', 'bigint')
    .addColumn('signed_json', 'text')
    .addColumn('reopened_by', who)
    .addColumn('reopened_at', 'bigint')
    .addColumn('reopen_reason', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('shift_logs_one', ['machine_key', 'shift_start'])
    .execute();

  await withSerialId(db.schema.createTable('crew_entries'), dialect)
    .addColumn('machine_key', key, (c) => c.notNull())
    .addColumn('shift_start', 'bigint', (c) => c.notNull())
    .addColumn('person', who, (c) => c.notNull())
    .addColumn('username', who)
    .addColumn('hours', 'double precision', (c) => c.notNull())
    .addColumn('entered_by', who, (c) => c.notNull())
    .addColumn('entered_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('crew_entries_shift').on('crew_entries').columns(['machine_key', 'shift_start']).execute();

  // quick sign-in at a line terminal: user + PIN (scrypt-hashed like passwords), for the roles QMFG_PIN_ROLES allows
  await db.schema.alterTable('users').addColumn('pin_hash', 'varchar(200)').execute();

  await db.schema
    .createTable('shift_handover_acks')
    .addColumn('machine_key', key, (c) => c.notNull())
    .addColumn('shift_start', 'bigint', (c) => c.notNull())
    .addColumn('username', who, (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addPrimaryKeyConstraint('shift_handover_acks_pk', ['machine_key', 'shift_start', 'username'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('pin_hash').execute();
  await db.schema
    .createTable('stop_reasons')
    .addColumn('machine_key', 'varchar(64)', (c) => c.notNull())
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'varchar(64)')
    .addColumn('comment', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'varchar(120)', (c) => c.notNull())
    .addPrimaryKeyConstraint('stop_reasons_pk', ['machine_key', 'start_at'])
    .execute();
  for (const table of ['shift_handover_acks', 'crew_entries', 'shift_logs', 'scrap_entries', 'stop_reason_segments', 'reason_trees']) {
    await db.schema.dropTable(table).execute();
  }
}
