// One instance at a time migrates and seeds (issue 17 item 1): instances started together on one
// database queue on a database lock — PostgreSQL's session advisory lock, MySQL/MariaDB's GET_LOCK —
// held on one dedicated connection while the work runs on the pool. The first one in migrates and
// seeds; the others then find nothing to do. SQLite is one file on one machine: its own write lock
// (busy timeout) already serialises the writers, and there is no second server to wait for.
import { sql } from 'kysely';
import type { Db, DialectName } from './database.js';

/** One number for "qmfg start" (advisory locks take a bigint key). */
const ADVISORY_KEY = 727_347_001;
const MYSQL_LOCK = 'qmfg:start';
/** how long an instance waits for another's migration before giving up */
const WAIT_SECONDS = 300;

export async function withStartLock<T>(db: Db, dialect: DialectName, work: () => Promise<T>): Promise<T> {
  if (dialect === 'sqlite') return work();
  return db.connection().execute(async (connection) => {
    if (dialect === 'postgres') {
      await sql`select set_config('lock_timeout', ${`${WAIT_SECONDS}s`}, false)`.execute(connection);
      await sql`select pg_advisory_lock(${ADVISORY_KEY})`.execute(connection);
    } else {
      const { rows } = await sql<{ got: number | null }>`select get_lock(${MYSQL_LOCK}, ${WAIT_SECONDS}) as got`.execute(connection);
      if (Number(rows[0]?.got) !== 1) throw new Error(`another instance held the start lock for more than ${WAIT_SECONDS} s (migration still running?)`);
    }
    try {
      return await work();
    } finally {
      if (dialect === 'postgres') await sql`select pg_advisory_unlock(${ADVISORY_KEY})`.execute(connection);
      else await sql`select release_lock(${MYSQL_LOCK})`.execute(connection);
    }
  });
}
