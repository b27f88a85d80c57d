// Runs of the trail's verification (issue 16 item 1): the daily job, the start, a manual check from
// the admin screen, the CLI. The only writer of audit_verifications.
import type { Executor } from '../../db/database.js';
import { dialectOf } from '../../db/transaction.js';
import type { AuditVerification } from './verify.js';

export type VerificationOrigin = 'daily' | 'start' | 'manual' | 'cli';

export interface VerificationRun {
  id: number;
  startedAt: number;
  finishedAt: number;
  origin: VerificationOrigin;
  actor: string;
  ok: boolean;
  entries: number;
  checkpoints: number;
  badEntryId: number | null;
  problem: string | null;
  message: string | null;
}

export async function recordVerification(
  db: Executor,
  run: { startedAt: number; finishedAt: number; origin: VerificationOrigin; actor: string; result: AuditVerification },
): Promise<number> {
  const { result } = run;
  const values = {
      started_at: run.startedAt, finished_at: run.finishedAt, origin: run.origin, actor: run.actor, ok: result.ok ? 1 : 0, entries: result.entries,
      checkpoints: result.checkpoints, bad_entry_id: result.problem?.entryId ?? null, problem: result.problem?.kind ?? null, message: result.problem?.message ?? null,
  };
  if (dialectOf(db) === 'postgres') return Number((await db.insertInto('audit_verifications').values(values).returning('id').executeTakeFirstOrThrow()).id);
  return Number((await db.insertInto('audit_verifications').values(values).executeTakeFirstOrThrow()).insertId);
}

export async function listVerifications(db: Executor, limit = 10): Promise<VerificationRun[]> {
  const rows = await db.selectFrom('audit_verifications').selectAll().orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: Number(r.id), startedAt: Number(r.started_at), finishedAt: Number(r.finished_at), origin: r.origin as VerificationOrigin, actor: r.actor, ok: Number(r.ok) === 1,
    entries: Number(r.entries), checkpoints: Number(r.checkpoints), badEntryId: r.bad_entry_id === null ? null : Number(r.bad_entry_id), problem: r.problem, message: r.message,
  }));
}
