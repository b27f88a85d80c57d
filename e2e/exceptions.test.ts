// Plan exceptions in the browser: a planner opens Exceptions from the navigation and sees a late
// work order with its cause and the overloaded machine behind it, then follows the links to the
// board and to the work order. Independent of the time of day: the demo calendar works 06:30–23:00
// every day, and the lot waits behind more work than this week and the next together can hold.
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import type { ExceptionsReport } from '../src/core/planning-exceptions/index.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expectText, expectVisible, screenshotDir, useE2E } from './harness.js';

const e2e = useE2E();
const HOUR = 3_600_000;

describe('plan exceptions', () => {
  it('shows a late order with its cause and the overloaded machine, with links to the board and the work order', async () => {
    const now = Date.now();
    const create = async (lot: string, quantity: number, due: number | null) => {
      const res = await e2e.api('/api/work-orders', { method: 'POST', body: { lot, product: 'strep-a-plus', quantity, due: due === null ? null : new Date(due).toISOString() } });
      expect(res.status).toBe(201);
      expect((await e2e.api(`/api/work-orders/${lot}/operations/0/load`, { method: 'POST', body: { machine: 'line11', mode: 'append' } })).status).toBe(200);
    };
    // 250 working hours on line 11 (after the demo's lots), then a small lot due tomorrow
    await create('E2E-BIG', 1_250_000, null);
    await create('E2E-LATE', 5_000, now + 24 * HOUR);
    const report = await e2e.api<ExceptionsReport>('/api/schedule/exceptions');
    const dueWeek = DateTime.fromMillis(now + 24 * HOUR, { zone: e2e.config.QMFG_TZ }).toFormat("kkkk-'W'WW");
    expect(report.body.items.map((i) => i.id)).toEqual(expect.arrayContaining(['late:E2E-LATE', `overload:line11:${dueWeek}`]));

    const page = await e2e.newPage({ width: 1920, height: 1080 });
    await page.goto('/board');
    await page.getByTestId('open-exceptions').click();
    await page.waitForURL('**/exceptions');
    await expectVisible(page.getByTestId('page-exceptions'));

    const late = page.getByTestId('exception-late:E2E-LATE');
    await expectText(late, /Critical/i);
    await expectText(late, /Lot E2E-LATE \(Strep A\+ FIA\) is [\d.]+ h late .*waits for Line 11, which has [\d.]+ h of work ahead of it/);
    const overload = page.getByTestId(`exception-overload:line11:${dueWeek}`);
    await expectText(overload, new RegExp(`Line 11 is loaded [\\d.]+ % in week ${dueWeek}`));
    expect(await overload.getAttribute('data-severity')).toBe('critical');
    // the late group comes first and counts what it lists
    const counts = page.getByTestId('exception-count-late-work-order');
    await expectText(counts, String(report.body.counts['late-work-order']));
    expect(await page.locator('.exception-group').first().getAttribute('data-testid')).toBe('exception-group-late-work-order');
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'exceptions.png'), fullPage: false });

    await late.getByTestId('exception-board-link').click();
    await page.waitForURL(/\/board\?group=pouching-itrak&lot=E2E-LATE&at=\d+/);
    await expectVisible(page.getByTestId('page-board'));
    // centred on the late operation: its day is in the window's title
    const at = Number(new URL(page.url()).searchParams.get('at'));
    await expectText(page.getByTestId('board-window'), DateTime.fromMillis(at, { zone: e2e.config.QMFG_TZ }).toFormat('d LLL'));
    expect(await page.getByTestId('group-tab-pouching-itrak').getAttribute('aria-current')).toBe('page');

    await page.goBack();
    await page.getByTestId('exception-late:E2E-LATE').getByTestId('exception-order-link').click();
    await page.waitForURL('**/work-orders?search=E2E-LATE');
    await expectText(page.getByTestId('page-work-orders'), 'E2E-LATE');
  });
});
