// Alerts end to end on each database, with a real SMTP server in process: a stop alert mailed once
// with machine, duration and link, its resolved mail, the hourly cap and hysteresis on a flapping
// line, a mail worker stopped mid-send, rule validation, and an alert that rolls back with its batch.
// The tests of a database share its app and run in order (the last ones use the work orders loaded before).
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { tempFolder, ZONE } from '../../testing/machine-data.js';
import { startTestSmtp, type TestSmtp } from '../../testing/smtp.js';
import { inTransaction } from '../../db/transaction.js';
import { listAudit } from '../audit/repository.js';
import { getUserByUsername, updateUser } from '../auth/repository.js';
import { ingestFile, ingestorFor } from '../machine-data/ingest.js';
import { evaluate } from './engine.js';
import { AlertMailWorker, smtpTransport } from './mail-worker.js';
import { ingestObserver, type AlertRuntime } from './runtime.js';
import * as alertsRepo from './alerts-repository.js';
import * as outbox from './outbox-repository.js';

const MINUTE = 60_000;
/** a Tuesday morning, inside the demo plant's working week (06:30–23:00 every day) */
const T0 = DateTime.fromISO('2026-12-01T10:00:00', { zone: ZONE }).toMillis();

describe.each(DIALECTS)('alerts on %s', (dialect) => {
  let t: TestApp;
  let smtp: TestSmtp;
  let now = T0;
  const folder = tempFolder('alerts');
  const runtime = () => (t.app as unknown as { alerts: AlertRuntime }).alerts;
  let serial = 1000;

  /** Appends one cycle a second of [from, to) to the machine's day-file and ingests it, as the drop folder would. */
  async function run(machine: string, from: number, to: number) {
    const path = join(folder.path, `${machine}-PR20261201.txt`);
    const lines: string[] = [];
    for (let at = from; at < to; at += 1000) lines.push(`1169100,159159,${serial++},1,${DateTime.fromMillis(at, { zone: ZONE }).toFormat('MM/dd/yy HH:mm:ss.SSS')}`);
    appendFileSync(path, lines.join('\n') + '\n');
    const result = await ingestFile(t.database.db, { machine, path, zone: ZONE, final: false });
    expect(result.errorCount).toBe(0);
  }

  beforeAll(async () => {
    smtp = await startTestSmtp();
    t = await createTestApp(dialect, 'alerts', { env: { QMFG_SMTP_URL: smtp.url, QMFG_MAIL_FROM: 'qmfg <alerts@qmfg.test>', QMFG_PUBLIC_URL: 'http://qmfg.test', QMFG_ALERT_INTERVAL_SECONDS: '0' } });
    // the app under test reads the controllable clock (see the BuildOptions of the test app)
    (t.app as unknown as { alerts: AlertRuntime }).alerts.setClock(() => now);
    const lead = await t.as('lead');
    const user = (await getUserByUsername(t.database.db, lead.user.username))!;
    await updateUser(t.database.db, user.id, user.version, { email: 'lead@plant.test' }, Date.now());
    for (const machine of ['line7', 'line8', 'line9']) {
      const res = await lead.inject({ method: 'POST', url: '/api/alerts/subscriptions', payload: { scope: 'machine', scopeKey: machine } });
      expect(res.statusCode).toBe(201);
    }
    writeFileSync(join(folder.path, 'keep'), '');
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    folder.remove();
  });

  it('refuses a rule with a negative threshold (400 naming the field) and audits every rule change', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/api/alerts/rules', payload: { kind: 'stopped', scope: 'machine', scopeKey: 'line7', minutes: -5 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual([expect.objectContaining({ path: 'body.minutes' })]);
    const badPercent = await t.app.inject({ method: 'POST', url: '/api/alerts/rules', payload: { kind: 'rate-below', scope: 'group', scopeKey: 'itrak', minutes: 10, percent: -1 } });
    expect(badPercent.statusCode).toBe(400);
    expect(badPercent.json().error.fields[0].path).toBe('body.percent');
    const unknown = await t.app.inject({ method: 'POST', url: '/api/alerts/rules', payload: { kind: 'stopped', scope: 'machine', scopeKey: 'nope', minutes: 5 } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields[0].path).toBe('body.scopeKey');
    const viewer = await t.as('viewer');
    expect((await viewer.inject({ method: 'POST', url: '/api/alerts/rules', payload: { kind: 'stopped', scope: 'machine', scopeKey: 'line7', minutes: 5 } })).statusCode).toBe(403);

    const made = await t.app.inject({ method: 'POST', url: '/api/alerts/rules', payload: { kind: 'no-data', scope: 'machine', scopeKey: 'line11', minutes: 30, enabled: false } });
    expect(made.statusCode).toBe(201);
    const id = made.json().id;
    const changed = await t.app.inject({ method: 'PUT', url: `/api/alerts/rules/${id}`, payload: { kind: 'no-data', scope: 'machine', scopeKey: 'line11', minutes: 45, enabled: false, version: 1 } });
    expect(changed.json()).toMatchObject({ minutes: 45, version: 2 });
    expect((await t.app.inject({ method: 'PUT', url: `/api/alerts/rules/${id}`, payload: { kind: 'no-data', scope: 'machine', scopeKey: 'line11', minutes: 50, version: 1 } })).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/alerts/rules/${id}` })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/alerts/rules/${id}` })).statusCode).toBe(404);
    const actions = (await listAudit(t.database.db, { entity: 'alert-rule', entityKey: String(id) })).map((a) => a.action);
    expect(actions.sort()).toEqual(['create', 'delete', 'update']);
  });

  it('mails a stop once with machine, duration and a link, then the resolved mail', async () => {
    const rule = await t.app.inject({ method: 'POST', url: '/api/alerts/rules', payload: { kind: 'stopped', scope: 'machine', scopeKey: 'line7', minutes: 10, clearMinutes: 2 } });
    expect(rule.statusCode).toBe(201);
    now = T0;
    await run('line7', T0 - 5 * MINUTE, T0);
    now = T0 + 5 * MINUTE;
    expect(await runtime().runOnce()).toEqual([]);
    now = T0 + 11 * MINUTE;
    const [raised] = await runtime().runOnce();
    expect(raised.change).toBe('raised');
    now = T0 + 12 * MINUTE;
    await runtime().runOnce();
    const mails = smtp.received.filter((m) => m.subject.includes('Line 7') || m.text.includes('line7'));
    expect(mails).toHaveLength(1);
    expect(mails[0].to).toEqual(['lead@plant.test']);
    expect(mails[0].subject).toMatch(/stopped for 11 min/);
    expect(mails[0].text).toMatch(/Machine: .*\(line7\)/);
    expect(mails[0].text).toContain(`http://qmfg.test/alerts?alert=${raised.alertId}`);
    // the bell counts it until someone acknowledges it
    expect((await t.app.inject('/api/alerts/unread')).json().unread).toBeGreaterThanOrEqual(1);

    // the line runs again: the condition clears with the data (ingest), the alert resolves after the clear minutes
    now = T0 + 13 * MINUTE;
    await run('line7', T0 + 12 * MINUTE, T0 + 13 * MINUTE);
    expect((await alertsRepo.getAlert(t.database.db, raised.alertId))!.state).toBe('open');
    now = T0 + 16 * MINUTE;
    await run('line7', T0 + 13 * MINUTE, T0 + 16 * MINUTE);
    expect((await alertsRepo.getAlert(t.database.db, raised.alertId))!.state).toBe('resolved');
    await runtime().runOnce();
    await runtime().runOnce();
    const after = smtp.received.filter((m) => m.text.includes('(line7)'));
    expect(after).toHaveLength(2);
    expect(after[1].subject).toMatch(/^\[qmfg\] resolved: /);
    expect(after[1].text).toContain('Lasted: ');
    expect(new Set(after.map((m) => m.messageId)).size).toBe(2);

    const ack = await t.app.inject({ method: 'POST', url: `/api/alerts/${raised.alertId}/acknowledge`, payload: { comment: 'jam at the sealer, cleared' } });
    expect(ack.json()).toMatchObject({ acknowledgedBy: t.admin.username, ackComment: 'jam at the sealer, cleared' });
    expect((await t.app.inject({ method: 'POST', url: `/api/alerts/${raised.alertId}/acknowledge`, payload: { comment: '' } })).statusCode).toBe(400);
    const history = (await t.app.inject('/api/alerts?machine=line7')).json();
    expect(history[0]).toMatchObject({ id: raised.alertId, state: 'resolved' });
  });

  it('a line flapping 20 times in 10 minutes: at most the cap in mails; with hysteresis one alert', async () => {
    const capped = await t.app.inject({ method: 'POST', url: '/api/alerts/rules', payload: { kind: 'stopped', scope: 'machine', scopeKey: 'line8', minutes: 0.25, clearMinutes: 0, capPerHour: 3 } });
    expect(capped.statusCode).toBe(201);
    const before = smtp.received.length;
    const start = T0 + 60 * MINUTE;
    for (let flap = 0; flap < 20; flap++) {
      const at = start + flap * 30_000;
      now = at + 10_000;
      await run('line8', at, at + 10_000);
      // 20 s without a cycle: stopped longer than the rule's 15 s
      now = at + 30_000;
      await runtime().runOnce();
    }
    await runtime().runOnce();
    const alerts = (await alertsRepo.listAlerts(t.database.db, { machine: 'line8', limit: 100 })).filter((a) => a.ruleId === capped.json().id);
    expect(alerts.length).toBeGreaterThanOrEqual(19);
    const mails = smtp.received.slice(before).filter((m) => m.text.includes('(line8)'));
    const raisedMails = mails.filter((m) => !m.subject.includes('resolved'));
    expect(raisedMails).toHaveLength(3);
    expect(mails.length).toBeLessThanOrEqual(6);

    // the same flapping with 2 minutes of hysteresis keeps one alert open
    await t.app.inject({ method: 'PUT', url: `/api/alerts/rules/${capped.json().id}`, payload: { kind: 'stopped', scope: 'machine', scopeKey: 'line8', minutes: 0.25, clearMinutes: 2, capPerHour: 3, version: 1 } });
    const later = start + 90 * MINUTE;
    // the line runs steadily for a while first: the last alert of the capped run resolves
    now = later - 3 * MINUTE;
    await run('line8', later - 4 * MINUTE, later - 3 * MINUTE);
    now = later;
    await run('line8', later - 3 * MINUTE, later);
    expect((await alertsRepo.openAlerts(t.database.db, capped.json().id))).toEqual([]);
    for (let flap = 0; flap < 20; flap++) {
      const at = later + flap * 30_000;
      now = at + 10_000;
      await run('line8', at, at + 10_000);
      now = at + 30_000;
      await runtime().runOnce();
    }
    const since = (await alertsRepo.listAlerts(t.database.db, { machine: 'line8', limit: 100 })).filter((a) => a.raisedAt >= later);
    expect(since).toHaveLength(1);
    expect(since[0].state).toBe('open');
  });

  it('a mail worker stopped mid-send duplicates nothing; a refused send is retried', async () => {
    const rule = await t.app.inject({ method: 'POST', url: '/api/alerts/rules', payload: { kind: 'stopped', scope: 'machine', scopeKey: 'line9', minutes: 5, clearMinutes: 0 } });
    expect(rule.statusCode).toBe(201);
    const base = T0 + 200 * MINUTE;
    now = base;
    await run('line9', base - MINUTE, base);
    const settings = { zone: ZONE, publicUrl: 'http://qmfg.test', mail: true };
    const [change] = await inTransaction(t.database.db, (trx) => evaluate(trx, settings, base + 6 * MINUTE));
    expect(change.change).toBe('raised');
    const before = smtp.received.length;
    let clock = base + 6 * MINUTE;
    const crashing = new AlertMailWorker(t.database.db, {
      transport: smtpTransport(smtp.url), from: 'qmfg <alerts@qmfg.test>', clock: () => clock, leaseMs: 60_000,
      afterClaim: () => {
        throw new Error('process killed');
      },
    });
    await expect(crashing.runOnce()).rejects.toThrow('process killed');
    const restarted = new AlertMailWorker(t.database.db, { transport: smtpTransport(smtp.url), from: 'qmfg <alerts@qmfg.test>', clock: () => clock, leaseMs: 60_000 });
    // the dead worker's claim still holds: nothing is sent twice meanwhile
    expect(await restarted.runOnce()).toEqual({ sent: 0, failed: 0 });
    clock += 61_000;
    // two workers at once after the lease ran out: one of them sends it
    const other = new AlertMailWorker(t.database.db, { transport: smtpTransport(smtp.url), from: 'qmfg <alerts@qmfg.test>', clock: () => clock, leaseMs: 60_000 });
    const rounds = await Promise.all([restarted.runOnce(), other.runOnce()]);
    expect(rounds[0].sent + rounds[1].sent).toBe(1);
    expect(await restarted.runOnce()).toEqual({ sent: 0, failed: 0 });
    const mails = smtp.received.slice(before).filter((m) => m.text.includes('(line9)'));
    expect(mails).toHaveLength(1);
    expect(mails[0].messageId).toBe((await outbox.listMails(t.database.db, change.alertId))[0].messageId);

    // the line runs again (clear 0: resolved at once); the SMTP server refuses the first try
    now = base + 7 * MINUTE;
    await run('line9', base + 6 * MINUTE, base + 7 * MINUTE);
    smtp.refuseNext(1);
    clock = base + 7 * MINUTE;
    expect(await restarted.runOnce()).toEqual({ sent: 0, failed: 1 });
    const [, resolvedRow] = await outbox.listMails(t.database.db, change.alertId);
    expect(resolvedRow).toMatchObject({ event: 'resolved', status: 'pending', attempts: 1 });
    expect(await restarted.runOnce()).toEqual({ sent: 0, failed: 0 });
    clock = resolvedRow.nextAttemptAt;
    expect(await restarted.runOnce()).toEqual({ sent: 1, failed: 0 });
    await Promise.all([crashing.stop(), restarted.stop(), other.stop()]);
    expect(smtp.received.slice(before).filter((m) => m.text.includes('(line9)')).map((m) => m.subject.startsWith('[qmfg] resolved'))).toEqual([false, true]);
  });

  it('raises a rate-below alert inside the ingest of the slow data, and a late alert from the scheduler\'s flag', async () => {
    for (const [lot, machine, due] of [['910010', 'line10', null], ['910011', 'line11', '2026-01-05T12:00:00.000Z']] as const) {
      expect((await t.app.inject({ method: 'POST', url: '/api/work-orders', payload: { lot, product: 'flu-ab', quantity: 500_000, due } })).statusCode).toBe(201);
      const loaded = await t.app.inject({ method: 'POST', url: `/api/work-orders/${lot}/operations/0/load`, payload: { machine, mode: 'append' } });
      expect(loaded.statusCode).toBe(200);
    }
    const slow = await t.app.inject({ method: 'POST', url: '/api/alerts/rules', payload: { kind: 'rate-below', scope: 'machine', scopeKey: 'line10', minutes: 5, percent: 50 } });
    expect(slow.statusCode).toBe(201);
    const base = T0 + 300 * MINUTE;
    // one part every 10 s: 360/h, far below flu-ab's standard
    const path = join(folder.path, 'line10-PR20261201.txt');
    const lines: string[] = [];
    for (let at = base - 6 * MINUTE; at < base; at += 10_000) lines.push(`1169100,910010,${serial++},1,${DateTime.fromMillis(at, { zone: ZONE }).toFormat('MM/dd/yy HH:mm:ss.SSS')}`);
    writeFileSync(path, lines.join('\n') + '\n');
    now = base;
    const pendingBefore = (await outbox.listMails(t.database.db)).length;
    expect((await ingestFile(t.database.db, { machine: 'line10', path, zone: ZONE, final: false })).errorCount).toBe(0);
    // no timer ran: the ingest itself raised it
    const [raised] = await alertsRepo.openAlerts(t.database.db, slow.json().id);
    expect(raised).toMatchObject({ kind: 'rate-below', machine: 'line10' });
    expect(raised.message).toMatch(/rate \d+ % of standard/);
    expect((await outbox.listMails(t.database.db)).length).toBe(pendingBefore);

    const late = await t.app.inject({ method: 'POST', url: '/api/alerts/rules', payload: { kind: 'late', scope: 'machine', scopeKey: 'line11' } });
    expect(late.statusCode).toBe(201);
    await runtime().runOnce();
    const [lateAlert] = await alertsRepo.openAlerts(t.database.db, late.json().id);
    expect(lateAlert).toMatchObject({ kind: 'late', subject: '910011/0', machine: 'line11' });
  });

  it('an alert raised by a batch rolls back with it when the batch fails', async () => {
    const slow = await t.app.inject({ method: 'POST', url: '/api/alerts/rules', payload: { kind: 'rate-below', scope: 'machine', scopeKey: 'line11', minutes: 5, percent: 50 } });
    expect(slow.statusCode).toBe(201);
    const base = T0 + 400 * MINUTE;
    const path = join(folder.path, 'line11-PR20261201.txt');
    const lines: string[] = [];
    for (let at = base - 6 * MINUTE; at < base; at += 10_000) lines.push(`1169100,910011,${serial++},1,${DateTime.fromMillis(at, { zone: ZONE }).toFormat('MM/dd/yy HH:mm:ss.SSS')}`);
    writeFileSync(path, lines.join('\n') + '\n');
    now = base;
    const ingestor = ingestorFor(t.database.db, ZONE);
    const settings = { zone: ZONE, publicUrl: 'http://qmfg.test', mail: true };
    const engine = ingestObserver(settings, t.events, () => now);
    // what the engine wrote, then a failure later in the same transaction
    ingestor.observeBatches({
      stored: async (trx, batch) => {
        await engine.stored(trx, batch);
        expect(await alertsRepo.openAlerts(trx, slow.json().id)).toHaveLength(1);
        throw new Error('disk full');
      },
    });
    await expect(ingestFile(t.database.db, { machine: 'line11', path, zone: ZONE, final: false })).rejects.toThrow('disk full');
    expect(await alertsRepo.openAlerts(t.database.db, slow.json().id)).toEqual([]);
    const seen: string[] = [];
    const unsubscribe = t.events.subscribe((event) => seen.push(event.topic));
    ingestor.observeBatches(engine);
    await ingestFile(t.database.db, { machine: 'line11', path, zone: ZONE, final: false });
    unsubscribe();
    expect(await alertsRepo.openAlerts(t.database.db, slow.json().id)).toHaveLength(1);
    // open screens hear of it after the commit
    expect(seen).toContain('alerts');
  });

  it('a QC gate waiting for its signature longer than the rule\'s hours raises an alert', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/work-orders', payload: { lot: '910012', product: 'flu-ab', quantity: 1000, due: null } })).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'POST', url: '/api/work-orders/910012/operations/0/load', payload: { machine: 'line6', mode: 'append' } })).statusCode).toBe(200);
    const closed = await t.app.inject({ method: 'POST', url: '/api/work-orders/910012/operations/0/close', payload: { reason: 'lot pouched' } });
    expect(closed.statusCode, closed.body).toBe(200);
    const gate = await t.app.inject({ method: 'POST', url: '/api/alerts/rules', payload: { kind: 'gate-waiting', scope: 'machine', scopeKey: 'line6', hours: 0.5 } });
    expect(gate.json()).toMatchObject({ kind: 'gate-waiting', minutes: 30 });
    now = Date.now() + 20 * MINUTE;
    await runtime().runOnce();
    expect(await alertsRepo.openAlerts(t.database.db, gate.json().id)).toEqual([]);
    now = Date.now() + 31 * MINUTE;
    await runtime().runOnce();
    const [waiting] = await alertsRepo.openAlerts(t.database.db, gate.json().id);
    expect(waiting).toMatchObject({ kind: 'gate-waiting', subject: '910012/0', machine: 'line6' });
    expect(waiting.message).toMatch(/waiting for its signature for 3\d min/);
  });
});
