// Alerts that a person's report raises, not a rule (issue 13): a shift report whose counted units
// disagree with the camera raises a "reconcile" alert for the leads of the line; it resolves when
// the report is corrected. And the mails of shift reports, sent at shift end to the subscribers of
// the line, through the same outbox and worker as alert mails.
import { createHash } from 'node:crypto';
import type { Executor } from '../../db/database.js';
import * as alertsRepo from './alerts-repository.js';
import * as rulesRepo from './repository.js';
import * as outbox from './outbox-repository.js';
import type { AlertSettings } from './engine.js';

/** Alerts raised by reports have no rule: rule id 0. */
export const NOTICE_RULE_ID = 0;

export interface NoticeMachine {
  key: string;
  name: string;
  group: string;
}

const hostOf = (publicUrl: string) => /^https?:\/\/([^/:]+)/.exec(publicUrl)?.[1] ?? 'qmfg.local';
const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** Raises (once) an open alert of `kind` about `subject`, mailed to the subscribers of the machine with `role`. */
export async function raiseNotice(
  db: Executor,
  settings: AlertSettings,
  notice: { kind: string; subject: string; machine: NoticeMachine; message: string; role: string | null; since: number },
  now: number,
): Promise<number | null> {
  const open = (await alertsRepo.openAlerts(db, NOTICE_RULE_ID)).find((a) => a.kind === notice.kind && a.subject === notice.subject);
  if (open) return null;
  const recipients = settings.mail ? await rulesRepo.recipientsOf(db, notice.machine.key, notice.machine.group, notice.role) : [];
  const alertId = await alertsRepo.insertAlert(db, {
    ruleId: NOTICE_RULE_ID, kind: notice.kind, subject: notice.subject, machine: notice.machine.key, conditionSince: notice.since, raisedAt: now, message: notice.message,
    mailed: recipients.length > 0,
  });
  if (recipients.length > 0) {
    const link = `${settings.publicUrl.replace(/\/$/, '')}/alerts?alert=${alertId}`;
    const body = [`Machine: ${notice.machine.name} (${notice.machine.key})`, `Alert: ${notice.message}`, `Open it: ${link}`].join('\n');
    await outbox.enqueueMails(
      db,
      recipients.map((recipient) => ({ alertId, event: 'raised' as const, recipient, messageId: `<alert-${alertId}-raised-${shortHash(recipient)}@${hostOf(settings.publicUrl)}>`, subject: `[qmfg] ${notice.message}`, body })),
      now,
    );
  }
  return alertId;
}

/** Resolves the open alert of `kind` about `subject`, if any. */
export async function resolveNotice(db: Executor, kind: string, subject: string, now: number): Promise<boolean> {
  const open = (await alertsRepo.openAlerts(db, NOTICE_RULE_ID)).find((a) => a.kind === kind && a.subject === subject);
  return open ? alertsRepo.resolveAlert(db, open.id, now) : false;
}

/** Queues a report mail to the subscribers of the machine (any role); one Message-ID per report and recipient, so it is sent once. */
export async function queueReportMail(
  db: Executor,
  settings: AlertSettings,
  mail: { key: string; machine: NoticeMachine; subject: string; body: string },
  now: number,
): Promise<number> {
  if (!settings.mail) return 0;
  const recipients = await rulesRepo.recipientsOf(db, mail.machine.key, mail.machine.group, null);
  const fresh = [];
  for (const recipient of recipients) {
    const messageId = `<report-${shortHash(mail.key)}-${shortHash(recipient)}@${hostOf(settings.publicUrl)}>`;
    if (await outbox.hasMessage(db, messageId)) continue;
    fresh.push({ alertId: NOTICE_RULE_ID, event: 'raised' as const, recipient, messageId, subject: mail.subject, body: mail.body });
  }
  await outbox.enqueueMails(db, fresh, now);
  return fresh.length;
}

/**
 * Raises (once) an open alert about the system rather than a machine (issue 16: the audit trail
 * failed its verification), mailed to the users subscribed by `role`. Resolved by resolveNotice.
 */
export async function raiseSystemNotice(
  db: Executor,
  settings: AlertSettings,
  notice: { kind: string; subject: string; message: string; role: string | null; since: number },
  now: number,
): Promise<number | null> {
  const open = (await alertsRepo.openAlerts(db, NOTICE_RULE_ID)).find((a) => a.kind === notice.kind && a.subject === notice.subject);
  if (open) return null;
  const recipients = settings.mail ? await rulesRepo.recipientsOf(db, null, null, notice.role) : [];
  const alertId = await alertsRepo.insertAlert(db, {
    ruleId: NOTICE_RULE_ID, kind: notice.kind, subject: notice.subject, machine: null, conditionSince: notice.since, raisedAt: now, message: notice.message, mailed: recipients.length > 0,
  });
  if (recipients.length > 0) {
    const link = `${settings.publicUrl.replace(/\/$/, '')}/alerts?alert=${alertId}`;
    await outbox.enqueueMails(
      db,
      recipients.map((recipient) => ({ alertId, event: 'raised' as const, recipient, messageId: `<alert-${alertId}-raised-${shortHash(recipient)}@${hostOf(settings.publicUrl)}>`, subject: `[qmfg] ${notice.message}`, body: `Alert: ${notice.message}\nOpen it: ${link}` })),
      now,
    );
  }
  return alertId;
}
