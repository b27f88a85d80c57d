// Small helpers for migrations (frozen history: change behaviour only by adding new helpers).
import { MysqlAdapter, PostgresAdapter, type CreateTableBuilder, type Kysely } from 'kysely';

export type MigrationDialect = 'sqlite' | 'postgres' | 'mysql';

export function migrationDialect(db: Kysely<any>): MigrationDialect {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof PostgresAdapter) return 'postgres';
  if (adapter instanceof MysqlAdapter) return 'mysql';
  return 'sqlite';
}

/** An auto-incrementing integer primary key named id, in each dialect's own way. */
export function withSerialId<T extends string>(table: CreateTableBuilder<T, never>, dialect: MigrationDialect) {
  if (dialect === 'postgres') return table.addColumn('id', 'bigserial', (c) => c.primaryKey());
  if (dialect === 'mysql') return table.addColumn('id', 'bigint', (c) => c.primaryKey().autoIncrement());
  return table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}
