// Work orders and operations. Frozen once landed.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('work_orders')
    .addColumn('lot', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('product_key', 'varchar(64)', (c) => c.notNull().references('products.key'))
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('due', 'bigint')
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('rate_mode', 'varchar(16)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('work_orders_product').on('work_orders').column('product_key').execute();

  await db.schema
    .createTable('operations')
    .addColumn('lot', 'varchar(40)', (c) => c.notNull().references('work_orders.lot').onDelete('cascade'))
    .addColumn('step', 'integer', (c) => c.notNull())
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('machine_key', 'varchar(64)', (c) => c.references('machines.key'))
    .addColumn('position', 'integer')
    .addColumn('produced', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('good', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('scrap', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('observed_rate_per_hour', 'double precision')
    .addColumn('forecast_start', 'bigint')
    .addColumn('forecast_end', 'bigint')
    .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('actual_start', 'bigint')
    .addColumn('actual_end', 'bigint')
    .addPrimaryKeyConstraint('operations_pk', ['lot', 'step'])
    .execute();
  await db.schema.createIndex('operations_machine').on('operations').columns(['machine_key', 'position']).execute();
  await db.schema.createIndex('operations_state').on('operations').column('state').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('operations').execute();
  await db.schema.dropTable('work_orders').execute();
}
