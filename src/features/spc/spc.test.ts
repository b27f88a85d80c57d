// Control charts of a measurement channel on all three databases: limits frozen from a baseline
// (versions, audit, 400 with the field, 403, 404), the chart of a window with a shift in it (a drift
// signal after the shift, none before), and an spc alert rule raising an alert whose mail carries the chart.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { ZONE } from '../../testing/machine-data.js';
import { startTestSmtp, type TestSmtp } from '../../testing/smtp.js';
import { channelSamples, initialChannelSim } from '../../core/simulation/channels.js';
import { DEMO_CALENDAR } from '../../testing/forecast-accuracy.js';
import { ingestMeasurements } from '../measurements/service.js';
import { getUserByUsername, updateUser } from '../auth/repository.js';
import { alertRuntimeOf } from '../../server/app.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** a Tuesday 10:00 in the past, inside the demo plant's working week */
const T0 = DateTime.fromISO('2026-11-24T10:00:00', { zone: ZONE }).toMillis();
const SHIFT_MM = 0.0015;
const film = { key: 'film', name: 'Film thickness', quantity: 'thickness', unit: 'mm', target: 0.125, lsl: 0.121, usl: 0.129, samplePeriodSeconds: 10, source: { kind: 'mqtt' } };
const iso = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE }).toISO()!;

describe.each(DIALECTS)('control charts on %s', (dialect) => {
  let t: TestApp;
  let smtp: TestSmtp;
  let now = T0 + 2 * HOUR;
  beforeAll(async () => {
    smtp = await startTestSmtp();
    t = await createTestApp(dialect, 'spc', { env: { QMFG_SMTP_URL: smtp.url, QMFG_MAIL_FROM: 'qmfg <alerts@qmfg.test>', QMFG_PUBLIC_URL: 'http://qmfg.test', QMFG_ALERT_INTERVAL_SECONDS: '0' } });
    alertRuntimeOf(t.app).setClock(() => now);
    expect((await t.app.inject({ method: 'POST', url: '/api/machines/line9/channels', payload: film })).statusCode).toBe(201);
    // three stable days of the demo generator's film thickness, then a step of +0.0015 mm at T0
    const { samples } = channelSamples(initialChannelSim('line9', 7, T0 - 3 * DAY), T0 - 3 * DAY, T0 + 2 * HOUR, DEMO_CALENDAR, ZONE, []);
    const readings = samples.filter((s) => s.channel === 'film-thickness').map((s) => ({ channel: 'film', at: s.at, value: s.at >= T0 ? s.value + SHIFT_MM : s.value }));
    await ingestMeasurements({ db: t.database.db, zone: ZONE }, [{ machine: 'line9', name: 'test', samples: readings }], { who: { actor: 'test' }, action: 'import' });
    const quality = await t.as('quality');
    const user = (await getUserByUsername(t.database.db, quality.user.username))!;
    await updateUser(t.database.db, user.id, user.version, { email: 'quality@plant.test' }, Date.now());
    expect((await quality.inject({ method: 'POST', url: '/api/alerts/subscriptions', payload: { scope: 'machine', scopeKey: 'line9' } })).statusCode).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('freezes limits from a baseline as version 1, audited; refuses a short baseline at its field; a viewer cannot', async () => {
    const url = '/api/machines/line9/channels/film/spc/limits';
    const body = { baselineFrom: iso(T0 - 3 * DAY), baselineTo: iso(T0), reason: 'first limits after commissioning' };
    const { inject: viewer } = await t.as('viewer');
    expect((await viewer({ method: 'POST', url, payload: body })).statusCode).toBe(403);
    const short = await t.app.inject({ method: 'POST', url, payload: { ...body, baselineFrom: iso(T0 - HOUR) } });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.fields).toEqual([expect.objectContaining({ path: 'body.baselineFrom', message: expect.stringMatching(/usable subgroups/) })]);
    const created = await t.app.inject({ method: 'POST', url, payload: body });
    expect(created.statusCode, created.body).toBe(201);
    const limits = created.json();
    expect(limits).toMatchObject({ version: 1, subgroupMinutes: 5, rules: 'none', reason: 'first limits after commissioning' });
    // the generator's film: mean 0.125, the means' σ dominated by the wander (0.0005 mm)
    expect(Math.abs(limits.centre - 0.125)).toBeLessThan(0.0002);
    expect(limits.sigmaOfMeans).toBeGreaterThan(0.0002);
    expect(limits.sigmaOfMeans).toBeLessThan(0.0007);
    expect(limits.ucl - limits.centre).toBeCloseTo(3 * limits.sigmaOfMeans, 12);
    const again = await t.app.inject({ method: 'POST', url, payload: { ...body, rules: 'western-electric', reason: 'rules on' } });
    expect(again.json().version).toBe(2);
    expect((await t.app.inject({ url })).json().map((l: { version: number }) => l.version)).toEqual([2, 1]);
    const trail = await t.database.db.selectFrom('audit_log').select(['action', 'entity_key', 'reason']).where('entity', '=', 'spc-limits').orderBy('id').execute();
    expect(trail.map((e) => [e.action, e.entity_key, e.reason])).toEqual([['create', 'line9/film', 'first limits after commissioning'], ['update', 'line9/film', 'rules on']]);
    expect((await t.app.inject({ method: 'POST', url: '/api/machines/line9/channels/nope/spc/limits', payload: body })).statusCode).toBe(404);
  });

  it('charts the window: the drift detector signals after the shift and not before; capability and words', async () => {
    const res = await t.app.inject({ url: `/api/machines/line9/channels/film/spc?from=${encodeURIComponent(iso(T0 - 6 * HOUR))}&to=${encodeURIComponent(iso(T0 + 2 * HOUR))}` });
    expect(res.statusCode, res.body).toBe(200);
    const chart = res.json();
    expect(chart.limits.version).toBe(2);
    expect(chart.points.length).toBeGreaterThan(60);
    const drift = chart.signals.filter((s: { rule: string }) => s.rule === 'ewma-drift');
    expect(drift.length).toBeGreaterThan(0);
    expect(drift.every((s: { at: number }) => s.at >= T0 - 5 * 60_000)).toBe(true);
    expect(drift[0].at - T0).toBeLessThan(HOUR);
    expect(chart.capability.cpk).not.toBeNull();
    expect(chart.capability.ppk.value).toBeGreaterThan(1);
    expect(chart.histogram.bins.length).toBeGreaterThan(3);
    expect(chart.words.join(' ')).toMatch(/signal/);
    const bad = await t.app.inject({ url: '/api/machines/line9/channels/film/spc?from=yesterday' });
    expect(bad.statusCode).toBe(400);
  });

  it('an spc alert rule raises an alert for the channel, mailed once with the chart attached', async () => {
    const rule = await t.app.inject({ method: 'POST', url: '/api/alerts/rules', payload: { kind: 'spc', scope: 'machine', scopeKey: 'line9', minutes: 0 } });
    expect(rule.statusCode, rule.body).toBe(201);
    now = T0 - HOUR;
    expect(await alertRuntimeOf(t.app).runOnce()).toEqual([]);
    now = T0 + 2 * HOUR;
    const [raised] = await alertRuntimeOf(t.app).runOnce();
    expect(raised).toMatchObject({ change: 'raised' });
    await alertRuntimeOf(t.app).runOnce();
    const mails = smtp.received.filter((m) => m.subject.includes('Film thickness'));
    expect(mails).toHaveLength(1);
    expect(mails[0].to).toEqual(['quality@plant.test']);
    expect(mails[0].raw).toMatch(/image\/svg\+xml/);
    expect(mails[0].raw).toMatch(/chart\.svg/);
    const alerts = (await t.app.inject({ url: '/api/alerts?kind=spc' })).json();
    expect(JSON.stringify(alerts)).toMatch(/line9\/film/);
  });
});
