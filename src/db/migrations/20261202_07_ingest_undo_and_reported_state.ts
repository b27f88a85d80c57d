// Who imported each file (shown next to "Undo" in the recent imports), and the state a machine's own
// source last reported (an MQTT `<prefix>/<machine>/state` message): a line shows "Stopped" at once
// when it says so. Frozen once landed.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('ingest_files').addColumn('created_by', 'varchar(120)').execute();
  await db.schema
    .createTable('machine_reported_state')
    .addColumn('machine_key', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('source', 'varchar(300)', (c) => c.notNull())
    .addColumn('reason', 'varchar(300)')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('machine_reported_state').execute();
  await db.schema.alterTable('ingest_files').dropColumn('created_by').execute();
}
