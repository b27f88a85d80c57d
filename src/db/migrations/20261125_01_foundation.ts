// Foundation schema: site, plant model, production calendar, audit trail. Frozen once landed.
import type { Kysely } from 'kysely';
import { migrationDialect, withSerialId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = migrationDialect(db);
  const key = 'varchar(64)';

  await db.schema
    .createTable('site')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('timezone', 'varchar(64)', (c) => c.notNull())
    .addColumn('default_rate_mode', 'varchar(16)', (c) => c.notNull().defaultTo('standard'))
    .addColumn('observed_window_hours', 'integer', (c) => c.notNull().defaultTo(8))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('process_groups')
    .addColumn('key', key, (c) => c.primaryKey())
    .addColumn('name', 'varchar(120)', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('machines')
    .addColumn('key', key, (c) => c.primaryKey())
    .addColumn('name', 'varchar(120)', (c) => c.notNull())
    .addColumn('group_key', key, (c) => c.notNull().references('process_groups.key'))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('oee_profile', 'varchar(64)', (c) => c.notNull())
    .addColumn('data_folder', 'varchar(500)')
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('machines_group').on('machines').column('group_key').execute();

  await db.schema
    .createTable('products')
    .addColumn('key', key, (c) => c.primaryKey())
    .addColumn('name', 'varchar(120)', (c) => c.notNull())
    .addColumn('short_name', 'varchar(40)', (c) => c.notNull())
    .addColumn('item_number', 'varchar(7)', (c) => c.notNull().unique())
    .addColumn('color', 'varchar(7)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('routing_steps')
    .addColumn('product_key', key, (c) => c.notNull().references('products.key').onDelete('cascade'))
    .addColumn('step_index', 'integer', (c) => c.notNull())
    .addColumn('group_key', key, (c) => c.notNull().references('process_groups.key'))
    .addColumn('rate_per_hour', 'double precision', (c) => c.notNull())
    .addColumn('setup_minutes', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('gate_name', 'varchar(120)')
    .addColumn('gate_hours', 'double precision')
    .addColumn('gate_role', 'varchar(32)')
    .addPrimaryKeyConstraint('routing_steps_pk', ['product_key', 'step_index'])
    .execute();
  await db.schema.createIndex('routing_steps_group').on('routing_steps').column('group_key').execute();

  await db.schema
    .createTable('calendar_weeks')
    .addColumn('week', 'varchar(10)', (c) => c.primaryKey())
    .addColumn('days', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('holidays')
    .addColumn('date', 'varchar(10)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(120)', (c) => c.notNull())
    .execute();

  await withSerialId(db.schema.createTable('audit_log'), dialect)
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'varchar(120)', (c) => c.notNull())
    .addColumn('entity', 'varchar(40)', (c) => c.notNull())
    .addColumn('entity_key', 'varchar(120)', (c) => c.notNull())
    .addColumn('action', 'varchar(40)', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('reason', 'text')
    .addColumn('source', 'varchar(120)')
    .addColumn('prev_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('hash', 'varchar(64)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['entity', 'entity_key']).execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();

  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'varchar(64)', (c) => c.notNull())
    .execute();
  await db.insertInto('audit_head').values({ id: 1, seq: 0, hash: '0'.repeat(64) }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['audit_head', 'audit_log', 'holidays', 'calendar_weeks', 'routing_steps', 'products', 'machines', 'process_groups', 'site']) {
    await db.schema.dropTable(table).execute();
  }
}
