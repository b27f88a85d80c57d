// Nothing stored twice whatever a file is called, and an audit entry for every import door.
// ingest_files gains: head_sha256 (sha256 of the first identity_bytes bytes, without the name — the
// same content under another name is found by it), duplicate_of (the ledger row whose content this
// one repeats), and how far the audit trail covers the row (audited_cycles / audited_bytes /
// audited_at: a file that grows all day or an MQTT stream is audited at most every few minutes,
// each entry counting what arrived since the previous one). Frozen once landed.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // one column per statement: SQLite adds only one at a time
  await db.schema.alterTable('ingest_files').addColumn('head_sha256', 'varchar(64)').execute();
  await db.schema.alterTable('ingest_files').addColumn('duplicate_of', 'bigint').execute();
  await db.schema.alterTable('ingest_files').addColumn('audited_cycles', 'bigint').execute();
  await db.schema.alterTable('ingest_files').addColumn('audited_bytes', 'bigint').execute();
  await db.schema.alterTable('ingest_files').addColumn('audited_at', 'bigint').execute();
  // rows imported before: what they hold was audited (uploads) or predates the trail of imports
  await db
    .updateTable('ingest_files')
    .set((eb) => ({ audited_cycles: eb.ref('cycles'), audited_bytes: eb.ref('consumed_bytes'), audited_at: eb.ref('updated_at') }))
    .execute();
  await db.schema.createIndex('ingest_files_head').on('ingest_files').columns(['machine_key', 'head_sha256']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('ingest_files_head').on('ingest_files').execute();
  for (const column of ['audited_at', 'audited_bytes', 'audited_cycles', 'duplicate_of', 'head_sha256']) {
    await db.schema.alterTable('ingest_files').dropColumn(column).execute();
  }
}
