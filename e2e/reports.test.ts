// Shift and weekly line reports in the browser (issue 13 item 5): the real Line 7 day of 13 Oct 2022
// with a reason, scrap, crew and notes reported and the report signed, then the printable shift
// report (figures, losses, reasons, scrap, crew, notes, the signature's manifestation, the .xlsx link)
// and the weekly line report with the shift in it. Screenshots at 1920×1080 and 1024×768.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { ShiftReport } from '../src/features/shift-reports/report-schemas.js';
import { expectText, expectVisible, repoRoot, screenshotDir, useE2E } from './harness.js';

const e2e = useE2E();
const LINE7_DAY = join(repoRoot, '../shared/data/sensors/Line7/PR20221013.txt');

describe('reports', () => {
  mkdirSync(screenshotDir, { recursive: true });

  it('the signed shift report prints its figures, reasons, scrap, crew, notes and signature; the week lists the shift', async () => {
    const zone = e2e.config.QMFG_TZ;
    const shiftStart = DateTime.fromISO('2022-10-13T06:30', { zone }).toMillis();
    await e2e.uploadCameraLog('line7', 'PR20221013.txt', readFileSync(LINE7_DAY));
    const stops = (await e2e.api<{ stops: { startMs: number }[] }>('/api/stops?machine=line7&from=2022-10-13T06:30&to=2022-10-13T14:45&minSeconds=300')).body.stops;
    expect((await e2e.api(`/api/stops/line7/${stops[0].startMs}/reasons`, { method: 'PUT', body: { segments: [{ reason: 'film-splice', comment: 'new reel' }] } })).status).toBe(200);
    const lot = (await e2e.api<{ lots: { lot: string }[] }>('/api/production/lots?machine=line7&from=2022-10-13T06:30&to=2022-10-13T14:45')).body.lots[0].lot;
    const base = `/api/shift-logs/line7/${shiftStart}`;
    expect((await e2e.api(`${base}/scrap`, { method: 'POST', body: { lot, reason: 'seal-defect', quantity: 64 } })).status).toBe(200);
    expect((await e2e.api(`${base}/crew`, { method: 'PUT', body: { crew: [{ person: 'Ana Flores', hours: 8.25 }, { person: 'Ben Carter', hours: 8.25 }] } })).status).toBe(200);
    const noted = await e2e.api<{ version: number }>(base, { method: 'PUT', body: { version: 0, notes: 'Film splice at 09:10, seals checked' } });
    const submitted = await e2e.api<{ version: number }>(`${base}/submit`, { method: 'POST', body: { version: noted.body.version } });
    const lead = await e2e.createUser('lead', { displayName: 'Lars Lead' });
    const signed = await e2e.api(`${base}/sign`, { method: 'POST', body: { version: submitted.body.version, signature: { password: lead.password, meaning: 'reviewed' } }, as: await e2e.signInApi(lead) });
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    const report = (await e2e.api<ShiftReport>(`/api/reports/shift/line7/${shiftStart}`)).body;

    const page = await e2e.newPage({ width: 1920, height: 1080 });
    await page.goto('/reports');
    await page.getByTestId('report-week').fill('2022-W41');
    await expectVisible(page.getByTestId('week-shifts'), 30_000);
    await expectText(page.getByTestId('week-shifts'), `signed by ${lead.username}`);
    await page.screenshot({ path: join(screenshotDir, 'reports-week-1920x1080.png'), fullPage: true });
    await page.getByTestId('week-shifts').getByRole('link', { name: /06:30/ }).first().click();
    await page.waitForURL(new RegExp(`/reports/shift/line7/${shiftStart}$`));
    await expectText(page.getByTestId('report-state'), 'signed');
    await expectText(page.getByTestId('report-reasons'), 'Unplanned › Material › Film splice');
    // stop times in plant time (the browser runs in UTC): the film splice stop as the plant's clock read it
    await expectText(page.getByTestId('shift-report'), DateTime.fromMillis(stops[0].startMs, { zone }).toFormat('HH:mm'));
    await expectText(page.getByTestId('report-signatures'), 'Lars Lead');
    await expectText(page.getByTestId('report-signatures'), 'reviewed');
    await expectText(page.getByTestId('shift-report'), 'Film splice at 09:10, seals checked');
    await expectText(page.getByTestId('shift-report'), 'Ana Flores · 8.25 h');
    await expectText(page.getByTestId('shift-report'), `${(report.totals.oee! * 100).toFixed(1)} %`);
    expect(await page.getByTestId('report-xlsx').getAttribute('href')).toBe(`/api/reports/shift/line7/${shiftStart}?format=xlsx`);
    await page.screenshot({ path: join(screenshotDir, 'shift-report-1920x1080.png'), fullPage: true });
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.screenshot({ path: join(screenshotDir, 'shift-report-1024x768.png') });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
