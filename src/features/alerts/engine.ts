// The alert engine: evaluates rules (src/core/alerts) against what the plant's tables say and
// raises, keeps or resolves alerts, queuing their mails in the outbox in the same transaction.
// Two callers: the ingest of machine data (inside the batch's transaction, for the machine the
// data is about) and a timer (time-based rules: a stop or missing data is seen while nothing arrives).
import { createHash } from 'node:crypto';
import type { Db, Executor } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { condition, decide, formatDuration, mayMail, SIGNAL_KINDS, type Condition, type Observation, type SignalKind } from '../../core/alerts/index.js';
import { workingIntervals } from '../../core/calendar/index.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import { holdMachineState } from '../machine-data/repository.js';
import * as rulesRepo from './repository.js';
import * as alertsRepo from './alerts-repository.js';
import * as outbox from './outbox-repository.js';
import * as observe from './observations-repository.js';

export interface AlertSettings {
  zone: string;
  /** the app's address for links in mails ('' → relative link) */
  publicUrl: string;
  /** false: no mails are queued (QMFG_SMTP_URL unset) */
  mail: boolean;
  /** who works out the spc / maintenance conditions (a kind without a source raises nothing) */
  signals?: SignalSources;
}

/** One thing a signal source judges on a machine (a channel's control chart, the machine's health). */
export interface SignalSubject {
  /** unique per rule and machine, e.g. "line9/film-thickness" */
  key: string;
  label: string;
  active: boolean;
  since: number | null;
  detail: string;
  /** draws a picture of the evidence for the mail (SVG), when the source has one: called only when a raised alert is mailed */
  chart?: () => string;
}

export type SignalSource = (db: Executor, machine: observe.MachineRef, now: number) => Promise<SignalSubject[]>;
export type SignalSources = Partial<Record<SignalKind, SignalSource>>;

export interface AlertChange {
  alertId: number;
  change: 'raised' | 'resolved';
}

const HOUR_MS = 3_600_000;

/** Start of the working interval `now` lies in (contiguous shifts joined), or null off shift. */
async function workingSince(db: Executor, zone: string, now: number): Promise<number | null> {
  const spec = await loadCalendarSpec(db);
  const intervals = [...workingIntervals(spec, zone, now - 8 * 24 * HOUR_MS, now + 1)].sort((x, y) => x.start - y.start);
  let start: number | null = null;
  let end = -Infinity;
  for (const interval of intervals) {
    // a shift that begins where the previous one ended continues the same working stretch
    if (start === null || interval.start > end) start = interval.start;
    end = Math.max(end, interval.end);
    if (interval.start <= now && now < interval.end) return start;
  }
  return null;
}

interface Subject {
  key: string;
  machine: observe.MachineRef;
  observation: Observation;
  label: string;
  chart?: () => string;
}

const isSignalKind = (kind: string): kind is SignalKind => (SIGNAL_KINDS as readonly string[]).includes(kind);

async function subjectsOf(db: Executor, rule: rulesRepo.StoredRule, machines: observe.MachineRef[], now: number, settings: AlertSettings): Promise<Subject[]> {
  const zone = settings.zone;
  const subjects: Subject[] = [];
  if (isSignalKind(rule.kind)) {
    const source = settings.signals?.[rule.kind];
    if (!source) return subjects;
    for (const machine of machines) {
      for (const signal of await source(db, machine, now)) {
        subjects.push({ key: signal.key, machine, label: signal.label, chart: signal.chart, observation: { kind: 'signal', active: signal.active, since: signal.since, detail: signal.detail } });
      }
    }
  } else if (rule.kind === 'stopped' || rule.kind === 'no-data') {
    const since = await workingSince(db, zone, now);
    for (const machine of machines) {
      const signs = await observe.lastSigns(db, machine.key);
      let lastAt = signs.lastCycleAt;
      if (rule.kind === 'stopped' && signs.reported?.state === 'stopped' && (lastAt === null || signs.reported.at >= lastAt)) lastAt = signs.reported.at;
      if (rule.kind === 'no-data' && signs.reported && (lastAt === null || signs.reported.at > lastAt)) lastAt = signs.reported.at;
      // a machine that never sent anything is "no data", not "stopped"
      if (rule.kind === 'stopped' && lastAt === null) continue;
      subjects.push({ key: machine.key, machine, observation: { kind: rule.kind, lastAt, workingSince: since }, label: machine.name });
    }
  } else if (rule.kind === 'rate-below') {
    const since = await workingSince(db, zone, now);
    for (const machine of machines) {
      const running = await observe.runningOperation(db, machine.key);
      const from = Math.max(now - rule.minutes * 60_000, since ?? now);
      const parts = await observe.partsBetween(db, machine.key, from, now);
      subjects.push({
        key: machine.key, machine, label: machine.name,
        observation: { kind: 'rate-below', parts, windowMinutes: (now - from) / 60_000, standardPerHour: running?.ratePerHour ?? null, runningSince: running && since !== null ? since : null },
      });
    }
  } else if (rule.kind === 'late') {
    const byKey = new Map(machines.map((m) => [m.key, m]));
    for (const op of await observe.operationForecasts(db, machines.map((m) => m.key))) {
      subjects.push({ key: `${op.lot}/${op.step}`, machine: byKey.get(op.machine)!, label: `lot ${op.lot} step ${op.step + 1}`, observation: { kind: 'late', late: op.late, forecastEnd: op.forecastEnd, due: op.due } });
    }
  } else {
    const byKey = new Map(machines.map((m) => [m.key, m]));
    for (const gate of await observe.gatesWaiting(db, machines.map((m) => m.key))) {
      subjects.push({ key: `${gate.lot}/${gate.step}`, machine: byKey.get(gate.machine)!, label: `${gate.gate} of lot ${gate.lot}`, observation: { kind: 'gate-waiting', waitingSince: gate.since } });
    }
  }
  return subjects;
}

function messageIdOf(alertId: number, event: string, recipient: string, publicUrl: string): string {
  const host = /^https?:\/\/([^/:]+)/.exec(publicUrl)?.[1] ?? 'qmfg.local';
  const who = createHash('sha256').update(recipient).digest('hex').slice(0, 16);
  return `<alert-${alertId}-${event}-${who}@${host}>`;
}

function linkOf(settings: AlertSettings, alertId: number): string {
  return `${settings.publicUrl.replace(/\/$/, '')}/alerts?alert=${alertId}`;
}

async function queueMails(db: Executor, settings: AlertSettings, rule: rulesRepo.StoredRule, alertId: number, machine: observe.MachineRef, event: 'raised' | 'resolved', subject: string, body: string, now: number, chartSvg: string | null = null): Promise<number> {
  const recipients = await rulesRepo.recipientsOf(db, machine.key, machine.group, rule.role);
  await outbox.enqueueMails(db, recipients.map((recipient) => ({ alertId, event, recipient, messageId: messageIdOf(alertId, event, recipient, settings.publicUrl), subject, body, chartSvg })), now);
  return recipients.length;
}

/** Applies one rule to one subject (inside the caller's transaction). */
async function applyRule(db: Executor, settings: AlertSettings, rule: rulesRepo.StoredRule, subject: Subject, open: alertsRepo.StoredAlert | null, now: number): Promise<AlertChange | null> {
  const cond: Condition = condition(rule, subject.observation, now);
  const decision = decide(rule, cond, open, now);
  switch (decision.action) {
    case 'none':
      return null;
    case 'hold':
      await alertsRepo.setClearSince(db, open!.id, null);
      return null;
    case 'clearing':
      await alertsRepo.setClearSince(db, open!.id, decision.since);
      return null;
    case 'raise': {
      const message = `${subject.label}: ${cond.detail}`;
      const capped = !mayMail(rule, await alertsRepo.mailedSince(db, rule.id, now - HOUR_MS));
      const recipients = await rulesRepo.recipientsOf(db, subject.machine.key, subject.machine.group, rule.role);
      const mailed = settings.mail && !capped && recipients.length > 0;
      const alertId = await alertsRepo.insertAlert(db, { ruleId: rule.id, kind: rule.kind, subject: subject.key, machine: subject.machine.key, conditionSince: decision.since, raisedAt: now, message, mailed });
      if (mailed) {
        const chartSvg = subject.chart?.() ?? null;
        const body = [
          `Machine: ${subject.machine.name} (${subject.machine.key})`,
          `Alert: ${message}`,
          `Since: ${new Date(decision.since).toISOString()} (${formatDuration(now - decision.since)})`,
          `Open it: ${linkOf(settings, alertId)}`,
          ...(chartSvg ? ['The chart of the evidence is attached.'] : []),
        ].join('\n');
        await queueMails(db, settings, rule, alertId, subject.machine, 'raised', `[qmfg] ${message}`, body, now, chartSvg);
      }
      return { alertId, change: 'raised' };
    }
    case 'resolve': {
      const alert = open!;
      if (!(await alertsRepo.resolveAlert(db, alert.id, now))) return null;
      if (alert.mailed && settings.mail) {
        const endedAt = alert.clearSince ?? now;
        const body = [
          `Machine: ${subject.machine.name} (${subject.machine.key})`,
          `Resolved: ${alert.message}`,
          `Lasted: ${formatDuration(endedAt - alert.conditionSince)} (from ${new Date(alert.conditionSince).toISOString()} to ${new Date(endedAt).toISOString()})`,
          `Open it: ${linkOf(settings, alert.id)}`,
        ].join('\n');
        await queueMails(db, settings, rule, alert.id, subject.machine, 'resolved', `[qmfg] resolved: ${alert.message}`, body, now);
      }
      return { alertId: alert.id, change: 'resolved' };
    }
  }
}

/** Evaluates the enabled rules of `kinds` for the machines (all in scope when machine is omitted), inside `db` (a transaction). */
export async function evaluate(db: Executor, settings: AlertSettings, now: number, options: { machine?: string; kinds?: readonly string[] } = {}): Promise<AlertChange[]> {
  const changes: AlertChange[] = [];
  const rules = (await rulesRepo.listRules(db)).filter((r) => r.enabled && (!options.kinds || options.kinds.includes(r.kind)));
  if (rules.length === 0) return changes;
  const open = await alertsRepo.openAlerts(db);
  for (const rule of rules) {
    let machines = await observe.machinesInScope(db, rule.scope, rule.scopeKey);
    if (options.machine) machines = machines.filter((m) => m.key === options.machine);
    if (machines.length === 0) continue;
    const subjects = await subjectsOf(db, rule, machines, now, settings);
    const seen = new Set<string>();
    for (const subject of subjects) {
      seen.add(subject.key);
      const change = await applyRule(db, settings, rule, subject, open.find((a) => a.ruleId === rule.id && a.subject === subject.key) ?? null, now);
      if (change) changes.push(change);
    }
    // an operation that finished or left the machine, a channel removed: its alert is over
    if (rule.kind === 'late' || rule.kind === 'gate-waiting' || (isSignalKind(rule.kind) && settings.signals?.[rule.kind])) {
      const inScope = new Set(machines.map((m) => m.key));
      for (const alert of open.filter((a) => a.ruleId === rule.id && !seen.has(a.subject) && a.machine !== null && inScope.has(a.machine))) {
        const machine = machines.find((m) => m.key === alert.machine)!;
        const observation: Observation =
          rule.kind === 'late' ? { kind: 'late', late: false, forecastEnd: null, due: null }
          : rule.kind === 'gate-waiting' ? { kind: 'gate-waiting', waitingSince: null }
          : { kind: 'signal', active: false, since: null, detail: 'no longer judged' };
        const gone: Subject = { key: alert.subject, machine, label: alert.subject, observation };
        const change = await applyRule(db, settings, rule, gone, { ...alert, clearSince: alert.clearSince ?? now - rule.clearMinutes * 60_000 }, now);
        if (change) changes.push(change);
      }
    }
  }
  return changes;
}

/** Data-driven rules, run inside the ingest transaction of a batch of `machine`. */
export const INGEST_KINDS = ['stopped', 'no-data', 'rate-below', 'late'] as const;

/** The machines some enabled rule covers. */
export async function machinesWithRules(db: Executor): Promise<string[]> {
  const keys = new Set<string>();
  for (const rule of (await rulesRepo.listRules(db)).filter((r) => r.enabled)) {
    for (const machine of await observe.machinesInScope(db, rule.scope, rule.scopeKey)) keys.add(machine.key);
  }
  return [...keys].sort();
}

/**
 * The timer's tick: every rule, one machine per transaction, each holding the machine's batch lock
 * so that a batch of the machine (whose ingest evaluates the same rules) cannot interleave — two
 * evaluations never both raise the alert of one rule and machine.
 */
export async function evaluateAll(db: Db, settings: AlertSettings, now: number): Promise<AlertChange[]> {
  const changes: AlertChange[] = [];
  for (const machine of await machinesWithRules(db)) {
    changes.push(
      ...(await inTransaction(db, async (trx) => {
        await holdMachineState(trx, machine);
        return evaluate(trx, settings, now, { machine });
      })),
    );
  }
  return changes;
}
