// SQL of raised alerts (the only writer of alerts).
import type { Executor } from '../../db/database.js';
import { dialectOf } from '../../db/transaction.js';

export interface StoredAlert {
  id: number;
  ruleId: number;
  kind: string;
  subject: string;
  machine: string | null;
  state: 'open' | 'resolved';
  conditionSince: number;
  raisedAt: number;
  clearSince: number | null;
  resolvedAt: number | null;
  message: string;
  mailed: boolean;
  acknowledgedBy: string | null;
  acknowledgedAt: number | null;
  ackComment: string | null;
}

type Row = {
  id: number; rule_id: number; kind: string; subject: string; machine_key: string | null; state: string; condition_since: number; raised_at: number;
  clear_since: number | null; resolved_at: number | null; message: string; mailed: number; acknowledged_by: string | null; acknowledged_at: number | null; ack_comment: string | null;
};

const n = (v: number | null) => (v === null ? null : Number(v));
const toAlert = (r: Row): StoredAlert => ({
  id: Number(r.id), ruleId: Number(r.rule_id), kind: r.kind, subject: r.subject, machine: r.machine_key, state: r.state as StoredAlert['state'],
  conditionSince: Number(r.condition_since), raisedAt: Number(r.raised_at), clearSince: n(r.clear_since), resolvedAt: n(r.resolved_at), message: r.message,
  mailed: Number(r.mailed) === 1, acknowledgedBy: r.acknowledged_by, acknowledgedAt: n(r.acknowledged_at), ackComment: r.ack_comment,
});

export async function openAlerts(db: Executor, ruleId?: number): Promise<StoredAlert[]> {
  let query = db.selectFrom('alerts').selectAll().where('state', '=', 'open');
  if (ruleId !== undefined) query = query.where('rule_id', '=', ruleId);
  return (await query.orderBy('id').execute()).map(toAlert);
}

export async function getAlert(db: Executor, id: number): Promise<StoredAlert | undefined> {
  const row = await db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toAlert(row) : undefined;
}

export interface AlertFilter {
  state?: 'open' | 'resolved';
  machine?: string;
  kind?: string;
  limit: number;
}

export async function listAlerts(db: Executor, filter: AlertFilter): Promise<StoredAlert[]> {
  let query = db.selectFrom('alerts').selectAll();
  if (filter.state) query = query.where('state', '=', filter.state);
  if (filter.machine) query = query.where('machine_key', '=', filter.machine);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  return (await query.orderBy('raised_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute()).map(toAlert);
}

export async function countUnacknowledgedOpen(db: Executor): Promise<number> {
  const row = await db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'open').where('acknowledged_at', 'is', null).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function mailedSince(db: Executor, ruleId: number, since: number): Promise<number> {
  const row = await db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')).where('rule_id', '=', ruleId).where('mailed', '=', 1).where('raised_at', '>', since).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export interface NewAlert {
  ruleId: number;
  kind: string;
  subject: string;
  machine: string | null;
  conditionSince: number;
  raisedAt: number;
  message: string;
  mailed: boolean;
}

export async function insertAlert(db: Executor, alert: NewAlert): Promise<number> {
  const values = {
    rule_id: alert.ruleId, kind: alert.kind, subject: alert.subject, machine_key: alert.machine, state: 'open', condition_since: alert.conditionSince, raised_at: alert.raisedAt,
    clear_since: null, resolved_at: null, message: alert.message, mailed: alert.mailed ? 1 : 0, acknowledged_by: null, acknowledged_at: null, ack_comment: null,
  };
  if (dialectOf(db) === 'postgres') return Number((await db.insertInto('alerts').values(values).returning('id').executeTakeFirstOrThrow()).id);
  return Number((await db.insertInto('alerts').values(values).executeTakeFirstOrThrow()).insertId);
}

export async function setClearSince(db: Executor, id: number, clearSince: number | null): Promise<void> {
  await db.updateTable('alerts').set({ clear_since: clearSince }).where('id', '=', id).execute();
}

/** Resolves an open alert; false when it was resolved already (by another evaluation). */
export async function resolveAlert(db: Executor, id: number, at: number): Promise<boolean> {
  const result = await db.updateTable('alerts').set({ state: 'resolved', resolved_at: at }).where('id', '=', id).where('state', '=', 'open').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function acknowledge(db: Executor, id: number, username: string, comment: string, at: number): Promise<boolean> {
  const result = await db.updateTable('alerts').set({ acknowledged_by: username, acknowledged_at: at, ack_comment: comment }).where('id', '=', id).where('acknowledged_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
