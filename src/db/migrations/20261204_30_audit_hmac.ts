// The audit trail authenticated with a key the database does not hold (issue 16 item 1): each new
// entry carries its sequence number, the id of the key that signed it and an HMAC over (seq, hash);
// the head row keeps a signed anchor of the trail as it stood before this scheme; and the runs of
// the verification are kept. The migration cannot know the key: the anchor is signed at the first
// start after it (features/audit/anchor.ts), which is idempotent. Frozen once landed.
import type { Kysely } from 'kysely';
import { migrationDialect, withSerialId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = migrationDialect(db);
  await db.schema.alterTable('audit_log').addColumn('seq', 'bigint').execute();
  await db.schema.alterTable('audit_log').addColumn('key_id', 'varchar(16)').execute();
  await db.schema.alterTable('audit_log').addColumn('mac', 'varchar(64)').execute();

  // the anchor: entries up to anchor_seq are the old plain-hash chain, ending at anchor_hash
  await db.schema.alterTable('audit_head').addColumn('anchor_seq', 'bigint').execute();
  await db.schema.alterTable('audit_head').addColumn('anchor_hash', 'varchar(64)').execute();
  await db.schema.alterTable('audit_head').addColumn('anchor_at', 'bigint').execute();
  await db.schema.alterTable('audit_head').addColumn('anchor_key_id', 'varchar(16)').execute();
  await db.schema.alterTable('audit_head').addColumn('anchor_mac', 'varchar(64)').execute();

  await withSerialId(db.schema.createTable('audit_verifications'), dialect)
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint', (c) => c.notNull())
    // 'daily' | 'start' | 'manual' | 'cli'
    .addColumn('origin', 'varchar(16)', (c) => c.notNull())
    .addColumn('actor', 'varchar(120)', (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('entries', 'bigint', (c) => c.notNull())
    .addColumn('checkpoints', 'integer', (c) => c.notNull())
    .addColumn('bad_entry_id', 'bigint')
    .addColumn('problem', 'varchar(40)')
    .addColumn('message', 'text')
    .execute();
  await db.schema.createIndex('audit_verifications_started').on('audit_verifications').column('started_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_verifications').execute();
  for (const column of ['anchor_mac', 'anchor_key_id', 'anchor_at', 'anchor_hash', 'anchor_seq']) await db.schema.alterTable('audit_head').dropColumn(column).execute();
  for (const column of ['mac', 'key_id', 'seq']) await db.schema.alterTable('audit_log').dropColumn(column).execute();
}
