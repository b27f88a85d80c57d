// Plan against actual on the board (issue 15 item 6): a real camera log uploaded for Line 7 (11 Oct
// 2022, lot 159159) shows beneath Line 7's plan in the Week view centred on that day — the lot's run in
// a strip, its stops as ticks — and "Show actual" takes the strip away. The window lies in 2022, so the
// journey does not depend on the time of day it runs at.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { expectHidden, expectVisible, repoRoot, screenshotDir, useE2E } from './harness.js';

const e2e = useE2E();
const ZONE = 'America/Los_Angeles';
const LINE7_11 = join(repoRoot, '../shared/data/sensors/Line7/PR20221011.txt');

describe('plan against actual', () => {
  mkdirSync(screenshotDir, { recursive: true });

  it('shows what ran beneath the plan: the uploaded lot\'s run with its stops, and hides it on request', async () => {
    const session = await e2e.signInApi(e2e.admin);
    const { cycles } = await e2e.uploadCameraLog('line7', 'PR20221011.txt', readFileSync(LINE7_11), session);
    expect(cycles).toBeGreaterThan(80_000);

    const at = DateTime.fromISO('2022-10-11T14:00', { zone: ZONE }).toMillis();
    const page = await e2e.newPage({ width: 1920, height: 1080 });
    await page.goto(`/board?group=pouching-itrak&zoom=week&at=${at}`);
    const strip = page.getByTestId('actual-line7');
    await expectVisible(strip, 20_000);
    await expect.poll(() => page.getByTestId('show-actual').isChecked()).toBe(true);
    const run = strip.getByTestId('actual-run-159159');
    await expectVisible(run);
    expect(await run.getAttribute('title')).toMatch(/^Ran lot 159159 .*: Tue 11 0\d:\d\d – Tue 11 2\d:\d\d, [\d,]+ parts, \d+ stops/);
    // the day's long stops (the real log has gaps of up to an hour) are ticks inside the strip
    expect(await strip.getByTestId('actual-stop').count()).toBeGreaterThan(0);
    const runBox = await run.boundingBox();
    const stopBox = await strip.getByTestId('actual-stop').first().boundingBox();
    expect(runBox && stopBox && stopBox.x >= runBox.x - 1 && stopBox.x <= runBox.x + runBox.width + 1).toBe(true);
    // lines without data that day have an empty strip
    expect(await page.getByTestId('actual-line8').getByTestId(/^actual-run-/).count()).toBe(0);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(screenshotDir, 'board-plan-actual-week-1920x1080.png') });
    await page.screenshot({ path: join(screenshotDir, 'board-plan-actual-line7-1920x1080.png'), clip: { x: 0, y: Math.max(0, (runBox?.y ?? 200) - 120), width: 1920, height: 240 } });

    await page.getByTestId('show-actual').uncheck();
    await expectHidden(page.getByTestId('actual-line7'));
    // and back on
    await page.getByTestId('show-actual').check();
    await expectVisible(page.getByTestId('actual-line7'));
  });

  it('records the plan at the shift start the first re-plan sees, and shows it as an outline with the drift badge', async () => {
    // this week and the next work round the clock (two 12-hour shifts): whatever the hour, a shift has begun
    const round = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } as Record<string, [string, string][]>;
    for (const day of Object.keys(round)) round[day] = [['00:00', '12:00'], ['12:00', '00:00']];
    const today = DateTime.now().setZone(ZONE);
    for (const week of [today, today.plus({ weeks: 1 })].map((d) => d.toISODate()!).map((date) => DateTime.fromISO(date).toFormat("kkkk-'W'WW"))) {
      const res = await e2e.api(`/api/calendar/weeks/${week}`, { method: 'PUT', body: { days: round, reason: 'round the clock (plan against actual journey)' } });
      expect(res.status).toBe(200);
    }
    // the calendar change re-plans; the first re-plan in the shift records its plan
    const page = await e2e.newPage({ width: 1920, height: 1080 });
    await page.goto('/board?group=pouching-itrak&zoom=week');
    const lane = page.getByTestId('actual-line6');
    await expectVisible(lane, 20_000);
    await expect.poll(async () => lane.locator('[data-testid^="actual-plan-"]').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expectVisible(page.getByTestId('drift-line6'));
    expect(await page.getByTestId('drift-line6').innerText()).toMatch(/on plan|h (behind|ahead of) plan|% of planned parts/);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(screenshotDir, 'board-plan-actual-baseline-1920x1080.png') });
    // the Day view leaves it off until asked
    await page.getByTestId('zoom-day').click();
    await expectHidden(page.getByTestId('actual-line6'));
    await page.getByTestId('show-actual').check();
    await expectVisible(page.getByTestId('actual-line6'));
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(screenshotDir, 'board-plan-actual-baseline-day-1920x1080.png') });
  });
});
