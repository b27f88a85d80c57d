// The audit-trail review at QC release and the periodic system review (issue 16 item 4): one row
// per released gate that records the review its signer did (which items, with comments), linked to
// the gate's signature; and one row per signed version of a quarter's periodic review (what items
// it covered, by their audit ids and a hash over them), linked to its signature. Frozen once landed.
import type { Kysely } from 'kysely';
import { migrationDialect, withSerialId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = migrationDialect(db);
  const key = 'varchar(64)';
  await withSerialId(db.schema.createTable('release_reviews'), dialect)
    .addColumn('lot', key, (c) => c.notNull())
    .addColumn('step', 'integer', (c) => c.notNull())
    .addColumn('signature_id', 'bigint', (c) => c.notNull())
    .addColumn('reviewer', key, (c) => c.notNull())
    .addColumn('reviewed_at', 'bigint', (c) => c.notNull())
    .addColumn('item_count', 'integer', (c) => c.notNull())
    // the reviewed items as JSON (id, kind, what, who, when, link, comment): read whole, never queried into
    .addColumn('items', 'text', (c) => c.notNull())
    .addUniqueConstraint('release_reviews_gate', ['lot', 'step'])
    .execute();
  await db.schema.createIndex('release_reviews_signature').on('release_reviews').column('signature_id').execute();
  await withSerialId(db.schema.createTable('periodic_reviews'), dialect)
    .addColumn('quarter', 'varchar(8)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('from_at', 'bigint', (c) => c.notNull())
    .addColumn('to_at', 'bigint', (c) => c.notNull())
    .addColumn('item_count', 'integer', (c) => c.notNull())
    .addColumn('items_hash', 'varchar(64)', (c) => c.notNull())
    // the audit ids the signer reviewed, as a JSON array
    .addColumn('item_ids', 'text', (c) => c.notNull())
    .addColumn('signature_id', 'bigint')
    .addColumn('signed_by', key, (c) => c.notNull())
    .addColumn('signed_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('periodic_reviews_version', ['quarter', 'version'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('periodic_reviews').execute();
  await db.schema.dropTable('release_reviews').execute();
}
