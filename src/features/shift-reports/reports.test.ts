// Shift and weekly line reports through the real app on each database (issue 13 item 5): the JSON
// the printable page shows, the .xlsx read back with ExcelJS, a counted-units mismatch raising a
// reconciliation alert, and the shift report mailed at shift end to the line's subscribers over a
// real SMTP server, once.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import ExcelJS from 'exceljs';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { LINE7_DAYS, multipartFiles, ZONE } from '../../testing/machine-data.js';
import { startTestSmtp, type TestSmtp } from '../../testing/smtp.js';
import { getUserByUsername, updateUser } from '../auth/repository.js';
import type { AlertRuntime } from '../alerts/runtime.js';

const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();

describe.each(DIALECTS)('shift and weekly reports on %s', (dialect) => {
  let t: TestApp;
  let smtp: TestSmtp;
  const shiftStart = local('2022-10-13T06:30');
  const shiftEnd = local('2022-10-13T14:45');
  let now = shiftEnd - 3_600_000;
  const inject = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
    const res = await t.app.inject({ method, url, payload: payload as Record<string, unknown> | undefined });
    return { status: res.statusCode, body: res.headers['content-type']?.toString().includes('json') ? res.json() : res.rawPayload, headers: res.headers };
  };

  beforeAll(async () => {
    smtp = await startTestSmtp();
    t = await createTestApp(dialect, 'reports', { env: { QMFG_SMTP_URL: smtp.url, QMFG_MAIL_FROM: 'qmfg <reports@qmfg.test>', QMFG_PUBLIC_URL: 'http://qmfg.test', QMFG_ALERT_INTERVAL_SECONDS: '0', QMFG_RECONCILE_TOLERANCE: '0.02' } });
    (t.app as unknown as { alerts: AlertRuntime }).alerts.setClock(() => now);
    const res = await t.app.inject({ method: 'POST', url: '/api/ingest/upload?machine=line7', ...multipartFiles([{ name: 'PR20221013.txt', content: readFileSync(LINE7_DAYS[3]) }]) });
    expect(res.statusCode).toBe(200);
    const lead = await t.as('lead');
    const user = (await getUserByUsername(t.database.db, lead.user.username))!;
    await updateUser(t.database.db, user.id, user.version, { email: 'lead@plant.test' }, Date.now());
    expect((await lead.inject({ method: 'POST', url: '/api/alerts/subscriptions', payload: { scope: 'machine', scopeKey: 'line7' } })).statusCode).toBe(201);
    // what operators reported: a reason, scrap, crew, notes
    const stops = (await inject('GET', '/api/stops?machine=line7&from=2022-10-13T06:30&to=2022-10-13T14:45&minSeconds=300')).body.stops;
    expect((await inject('PUT', `/api/stops/line7/${stops[0].startMs}/reasons`, { segments: [{ reason: 'film-splice', comment: 'new reel' }] })).status).toBe(200);
    const lot = (await inject('GET', '/api/production/lots?machine=line7&from=2022-10-13T06:30&to=2022-10-13T14:45')).body.lots[0].lot;
    const base = `/api/shift-logs/line7/${shiftStart}`;
    expect((await inject('POST', `${base}/scrap`, { lot, reason: 'seal-defect', quantity: 80 })).status).toBe(200);
    expect((await inject('PUT', `${base}/crew`, { crew: [{ person: 'Ana Operator', hours: 8 }, { person: 'Ben Operator', hours: 8 }] })).status).toBe(200);
    expect((await inject('PUT', base, { version: 0, notes: 'Film splice after the break', reportedCount: 1000 })).status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('a counted-units mismatch raises a reconciliation alert for the lead; a corrected report resolves it', async () => {
    const base = `/api/shift-logs/line7/${shiftStart}`;
    const log = (await inject('GET', base)).body;
    expect((await inject('POST', `${base}/submit`, { version: log.version })).status).toBe(200);
    const alerts = (await inject('GET', '/api/alerts?state=open')).body;
    const reconcile = alerts.find((a: { kind: string }) => a.kind === 'reconcile');
    expect(reconcile.message).toMatch(/reported 1,000 units, the camera counted [\d,]+ \(\d+\.\d % apart, more than 2\.0 %\)/);
    // the camera's count, as the report shows it, within tolerance: resolved
    const report = (await inject('GET', `/api/reports/shift/line7/${shiftStart}`)).body;
    const again = (await inject('GET', base)).body;
    expect((await inject('PUT', base, { version: again.version, reportedCount: report.reconciliation.camera })).status).toBe(200);
    expect((await inject('POST', `${base}/submit`, { version: again.version + 1 })).status).toBe(200);
    expect((await inject('GET', '/api/alerts?state=open')).body.some((a: { kind: string }) => a.kind === 'reconcile')).toBe(false);
  });

  it('the shift report: counts, OEE, losses with the reason and the scrap, crew, notes — and the same as a workbook', async () => {
    const res = await inject('GET', `/api/reports/shift/line7/${shiftStart}`);
    expect(res.status).toBe(200);
    const report = res.body;
    expect(report.totals.parts).toBeGreaterThan(10_000);
    expect(report.totals.rejects).toBe(80);
    expect(report.log).toMatchObject({ headCount: 2, crewHours: 16, notes: 'Film splice after the break' });
    const breakdown = report.losses.pareto.find((c: { category: string }) => c.category === 'breakdown');
    expect(breakdown.reasons.map((r: { label: string }) => r.label)).toContain('Unplanned › Material › Film splice');
    // labour: the 16 paid hours × the share of the 8.25 h shift the line was operating
    expect(report.losses.paidCrewHours).toBe(16);
    expect(report.losses.producingCrewHours).toBeCloseTo((16 * report.totals.netRunSeconds) / 29_700, 1);
    expect(report.losses.oee).toBeCloseTo(report.totals.oee, 3);
    const xlsx = await inject('GET', `/api/reports/shift/line7/${shiftStart}?format=xlsx`);
    expect(xlsx.status).toBe(200);
    expect(String(xlsx.headers['content-disposition'])).toMatch(/shift-report-line7-.*\.xlsx/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as never);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Summary', 'Losses', 'Reasons', 'Stops', 'Scrap', 'Crew']);
    const summary = new Map<string, string>();
    book.getWorksheet('Summary')!.eachRow((row, i) => i > 1 && summary.set(String(row.getCell(1).value), String(row.getCell(2).value)));
    expect(summary.get('Parts')).toBe(String(report.totals.parts));
    expect(summary.get('Notes')).toBe('Film splice after the break');
    expect(book.getWorksheet('Scrap')!.getRow(2).getCell(3).value).toBe(80);
  });

  it('the weekly line report covers the week\'s shifts; a bad week is a 400', async () => {
    const res = await inject('GET', '/api/reports/week?group=pouching-itrak&week=2022-W41');
    expect(res.status).toBe(200);
    expect(res.body.machines.length).toBeGreaterThanOrEqual(6);
    const line7 = res.body.machines.find((m: { machine: string }) => m.machine === 'line7');
    expect(line7.days.length).toBe(7);
    expect(res.body.shifts.find((s: { machine: string; shiftStart: string }) => s.machine === 'line7' && s.shiftStart === new Date(shiftStart).toISOString())).toMatchObject({ headCount: 2, scrap: 80 });
    expect((await inject('GET', '/api/reports/week?group=pouching-itrak&week=2022-W99')).status).toBe(400);
    expect((await inject('GET', '/api/reports/week?group=pouching-itrak&week=2022-W41&format=xlsx')).status).toBe(200);
  });

  it('at shift end the report is mailed to the line\'s subscribers, once', async () => {
    const runtime = (t.app as unknown as { alerts: AlertRuntime }).alerts;
    now = shiftEnd + 10 * 60_000;
    smtp.received.length = 0;
    await runtime.runOnce();
    await runtime.runOnce();
    const reports = smtp.received.filter((m) => /Shift report/.test(m.subject));
    expect(reports.length).toBe(1);
    expect(reports[0].to).toEqual(['lead@plant.test']);
    expect(reports[0].subject).toMatch(/^\[qmfg\] Shift report Line 7 2022-10-13 06:30–14:45: OEE \d+\.\d %$/);
    expect(reports[0].text).toMatch(/OEE \d+\.\d %/);
    expect(reports[0].text).toContain(`http://qmfg.test/reports/shift/line7/${shiftStart}`);
  });
});
