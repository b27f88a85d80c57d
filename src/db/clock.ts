// The database server's clock (issue 16 item 5): what the server compares its own with at start.
import { sql } from 'kysely';
import type { DialectName, Executor } from './database.js';

/** The database's current time as epoch ms, read with one query. SQLite reads this machine's clock (same machine). */
export async function databaseClockMs(db: Executor, dialect: DialectName): Promise<number> {
  const query =
    dialect === 'postgres'
      ? sql<{ ms: string | number }>`select extract(epoch from clock_timestamp()) * 1000 as ms`
      : dialect === 'mysql'
        ? sql<{ ms: string | number }>`select unix_timestamp(now(3)) * 1000 as ms`
        : sql<{ ms: string | number }>`select (julianday('now') - 2440587.5) * 86400000.0 as ms`;
  const { rows } = await query.execute(db);
  return Number(rows[0].ms);
}
