// The one place transactions are retried: a deadlock or serialisation failure (PostgreSQL 40P01 /
// 40001, MySQL 1213 / 1205) rolls the whole transaction back, so running the same function again is
// safe as long as it only talks to the database. Bounded attempts with jittered back-off keep two
// colliding writers from colliding again in lock-step.
import { MysqlAdapter, SqliteAdapter } from 'kysely';
import type { Db, DialectName, Executor, Tx } from './database.js';
import { isRetryableTransactionError } from './faults.js';

export interface TransactionOptions {
  /** retries after the first attempt (default 5) */
  retries?: number;
  /** first back-off in ms, doubled per retry, each with random jitter (default 15) */
  backoffMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function inTransaction<T>(db: Db, fn: (trx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const retries = options.retries ?? 5;
  const backoff = options.backoffMs ?? 15;
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction().execute(fn);
    } catch (error) {
      if (attempt >= retries || !isRetryableTransactionError(error)) throw error;
      await sleep(backoff * 2 ** attempt * (0.5 + Math.random()));
    }
  }
}

/** Which SQL the executor speaks, for the few statements that differ (row locks do not exist in SQLite). */
export function dialectOf(db: Executor): DialectName {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof SqliteAdapter) return 'sqlite';
  return adapter instanceof MysqlAdapter ? 'mysql' : 'postgres';
}
