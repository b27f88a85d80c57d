// SQL of the alert mail outbox (the only writer of alert_outbox). A row is claimed by one worker
// (a conditional update: only one claim wins) before it is sent, and marked sent after; a claim
// expires after its lease, so a worker that died mid-send leaves the row to the next one.
import type { Executor } from '../../db/database.js';

export interface OutboxMail {
  id: number;
  alertId: number;
  event: 'raised' | 'resolved';
  recipient: string;
  messageId: string;
  subject: string;
  body: string;
  chartSvg: string | null;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: number;
  sentAt: number | null;
  lastError: string | null;
}

type Row = {
  id: number; alert_id: number; event: string; recipient: string; message_id: string; subject: string; body: string; chart_svg: string | null; status: string; attempts: number;
  next_attempt_at: number; sent_at: number | null; last_error: string | null;
};

const toMail = (r: Row): OutboxMail => ({
  id: Number(r.id), alertId: Number(r.alert_id), event: r.event as OutboxMail['event'], recipient: r.recipient, messageId: r.message_id, subject: r.subject, body: r.body, chartSvg: r.chart_svg ?? null,
  status: r.status as OutboxMail['status'], attempts: Number(r.attempts), nextAttemptAt: Number(r.next_attempt_at), sentAt: r.sent_at === null ? null : Number(r.sent_at), lastError: r.last_error,
});

export interface NewMail {
  alertId: number;
  event: 'raised' | 'resolved';
  recipient: string;
  messageId: string;
  subject: string;
  body: string;
  chartSvg?: string | null;
}

export async function enqueueMails(db: Executor, mails: readonly NewMail[], now: number): Promise<void> {
  if (mails.length === 0) return;
  await db
    .insertInto('alert_outbox')
    .values(mails.map((m) => ({
      alert_id: m.alertId, event: m.event, recipient: m.recipient, message_id: m.messageId, subject: m.subject, body: m.body, chart_svg: m.chartSvg ?? null, status: 'pending', attempts: 0,
      next_attempt_at: now, claimed_by: null, claimed_until: null, sent_at: null, last_error: null, created_at: now,
    })))
    .execute();
}

/** Rows due now: pending and due, or claimed by a worker whose lease ran out. */
export async function dueMails(db: Executor, now: number, limit: number): Promise<OutboxMail[]> {
  const rows = await db
    .selectFrom('alert_outbox')
    .selectAll()
    .where((eb) => eb.or([eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]), eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<', now)])]))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toMail);
}

/** Claims a due row for `worker` until `until`; false when another worker has it. */
export async function claimMail(db: Executor, id: number, worker: string, now: number, until: number): Promise<boolean> {
  const result = await db
    .updateTable('alert_outbox')
    .set({ status: 'sending', claimed_by: worker, claimed_until: until })
    .where('id', '=', id)
    .where((eb) => eb.or([eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]), eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<', now)])]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markSent(db: Executor, id: number, worker: string, now: number): Promise<void> {
  await db.updateTable('alert_outbox').set({ status: 'sent', sent_at: now, claimed_until: null }).where('id', '=', id).where('claimed_by', '=', worker).execute();
}

export async function markFailed(db: Executor, id: number, worker: string, error: string, attempts: number, nextAttemptAt: number | null): Promise<void> {
  await db
    .updateTable('alert_outbox')
    .set({ status: nextAttemptAt === null ? 'failed' : 'pending', attempts, next_attempt_at: nextAttemptAt ?? 0, last_error: error.slice(0, 500), claimed_until: null })
    .where('id', '=', id)
    .where('claimed_by', '=', worker)
    .execute();
}

export async function listMails(db: Executor, alertId?: number): Promise<OutboxMail[]> {
  let query = db.selectFrom('alert_outbox').selectAll();
  if (alertId !== undefined) query = query.where('alert_id', '=', alertId);
  return (await query.orderBy('id').execute()).map(toMail);
}

/** Whether a mail with this Message-ID was queued already (reports are queued once). */
export async function hasMessage(db: Executor, messageId: string): Promise<boolean> {
  const row = await db.selectFrom('alert_outbox').select('id').where('message_id', '=', messageId).executeTakeFirst();
  return Boolean(row);
}

/** Mails not sent yet (pending or being sent): the outbox's depth, for the metrics. */
export async function countUnsentMails(db: Executor): Promise<number> {
  const row = await db.selectFrom('alert_outbox').select((eb) => eb.fn.countAll<number | string>().as('n')).where('status', 'in', ['pending', 'sending']).executeTakeFirst();
  return Number(row?.n ?? 0);
}
