// Users, sessions, OpenID Connect flows, electronic signatures, gate sign-offs. Frozen once landed.
import type { Kysely } from 'kysely';
import { migrationDialect, withSerialId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = migrationDialect(db);
  // the id column type that refers to a withSerialId primary key
  const idRef = dialect === 'sqlite' ? 'integer' : 'bigint';

  await withSerialId(db.schema.createTable('users'), dialect)
    .addColumn('username', 'varchar(120)', (c) => c.notNull().unique())
    .addColumn('display_name', 'varchar(200)', (c) => c.notNull())
    .addColumn('email', 'varchar(200)')
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('lines', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'varchar(255)')
    .addColumn('oidc_issuer', 'varchar(300)')
    .addColumn('oidc_subject', 'varchar(255)')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'bigint')
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('password_changed_at', 'bigint')
    .addColumn('last_login_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_oidc').on('users').columns(['oidc_issuer', 'oidc_subject']).unique().execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', idRef, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('method', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('source', 'varchar(120)')
    .addColumn('user_agent', 'varchar(300)')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('oidc_flows')
    .addColumn('id_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('state', 'varchar(128)', (c) => c.notNull())
    .addColumn('nonce', 'varchar(128)', (c) => c.notNull())
    .addColumn('code_verifier', 'varchar(128)', (c) => c.notNull())
    .addColumn('return_to', 'varchar(500)', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();

  await withSerialId(db.schema.createTable('signatures'), dialect)
    .addColumn('entity', 'varchar(40)', (c) => c.notNull())
    .addColumn('entity_key', 'varchar(120)', (c) => c.notNull())
    .addColumn('action', 'varchar(40)', (c) => c.notNull())
    .addColumn('record_version', 'integer')
    .addColumn('content_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('meaning', 'varchar(40)', (c) => c.notNull())
    .addColumn('user_id', idRef, (c) => c.notNull().references('users.id'))
    .addColumn('username', 'varchar(120)', (c) => c.notNull())
    .addColumn('printed_name', 'varchar(200)', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('signed_at', 'bigint', (c) => c.notNull())
    .addColumn('audit_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('hash', 'varchar(64)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('signatures_entity').on('signatures').columns(['entity', 'entity_key']).execute();
  await db.schema.createIndex('signatures_audit').on('signatures').column('audit_hash').execute();

  await db.schema
    .createTable('gate_passes')
    .addColumn('lot', 'varchar(40)', (c) => c.notNull())
    .addColumn('step', 'integer', (c) => c.notNull())
    .addColumn('passed_at', 'bigint', (c) => c.notNull())
    .addColumn('signature_id', idRef, (c) => c.notNull().references('signatures.id'))
    .addPrimaryKeyConstraint('gate_passes_pk', ['lot', 'step'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['gate_passes', 'signatures', 'oidc_flows', 'sessions', 'users']) await db.schema.dropTable(table).execute();
}
