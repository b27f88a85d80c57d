// The only place with SQL for job leases (job_leases). Every instant here is the database's clock
// (read with the statement that uses it), so instances whose clocks differ still agree who holds what.
import { sql } from 'kysely';
import type { DialectName, Executor } from '../../db/database.js';
import { databaseClockMs } from '../../db/clock.js';

export interface LeaseRow {
  name: string;
  holder: string;
  expiresAt: number;
  acquiredAt: number;
  renewedAt: number;
}

/** Makes sure every job has its row (free); a row another instance created meanwhile is fine. */
export async function ensureLeaseRows(db: Executor, dialect: DialectName, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const rows = names.map((name) => ({ name, holder: '', expires_at: 0, acquired_at: 0, renewed_at: 0 }));
  const insert = db.insertInto('job_leases').values(rows);
  if (dialect === 'mysql') await insert.ignore().execute();
  else await insert.onConflict((oc) => oc.column('name').doNothing()).execute();
}

/**
 * Takes the lease when it is free or expired, renews it when `holder` has it; answers whether
 * `holder` holds it for `ttlMs` from the database's now. One conditional UPDATE: of two instances
 * racing for an expired lease only one matches.
 */
export async function acquireOrRenew(db: Executor, dialect: DialectName, name: string, holder: string, ttlMs: number): Promise<boolean> {
  const now = Math.round(await databaseClockMs(db, dialect));
  const result = await db
    .updateTable('job_leases')
    .set({
      holder,
      expires_at: now + ttlMs,
      renewed_at: now,
      acquired_at: sql<number>`case when holder = ${holder} and expires_at >= ${now} then acquired_at else ${now} end`,
    })
    .where('name', '=', name)
    .where((eb) => eb.or([eb.and([eb('holder', '=', holder), eb('expires_at', '>=', now)]), eb('expires_at', '<', now), eb('holder', '=', '')]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives the lease back (shutdown): the next instance takes it at its next tick instead of after the TTL. */
export async function releaseLease(db: Executor, name: string, holder: string): Promise<void> {
  await db.updateTable('job_leases').set({ holder: '', expires_at: 0 }).where('name', '=', name).where('holder', '=', holder).execute();
}

export async function listLeases(db: Executor): Promise<LeaseRow[]> {
  const rows = await db.selectFrom('job_leases').selectAll().orderBy('name').execute();
  return rows.map((r) => ({ name: r.name, holder: r.holder, expiresAt: Number(r.expires_at), acquiredAt: Number(r.acquired_at), renewedAt: Number(r.renewed_at) }));
}
