// TV device tokens (issue 12 item 3): a wall screen reads the andon view without a person's
// session. Only the SHA-256 of a token is kept; a token is scoped to process groups and revoked,
// never deleted (the audit trail names it). Frozen once landed.
import type { Kysely } from 'kysely';
import { migrationDialect, withSerialId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = migrationDialect(db);
  await withSerialId(db.schema.createTable('tv_devices'), dialect)
    .addColumn('name', 'varchar(120)', (c) => c.notNull())
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('groups', 'text', (c) => c.notNull())
    .addColumn('created_by', 'varchar(120)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_by', 'varchar(120)')
    .addColumn('revoked_at', 'bigint')
    .addColumn('last_seen_at', 'bigint')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tv_devices').execute();
}
