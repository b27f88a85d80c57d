// What-if in the browser: a planner copies the live plan into a scenario, takes Line 11 down for
// tomorrow, reads the comparison (that line's lot a plant-local day later, the last finish later,
// the other lines as they were), and publishes it; the live plan then carries the downtime.
// Independent of the time of day: the demo calendar works 06:30–23:00 every day and the lot runs for
// 250 working hours, so tomorrow lies inside it wherever "now" falls.
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expectText, expectVisible, screenshotDir, useE2E } from './harness.js';

const e2e = useE2E();

describe('what-if scenarios', () => {
  it('a scenario with one line down compared with the live plan, then published', async () => {
    const zone = e2e.config.QMFG_TZ;
    expect((await e2e.api('/api/work-orders', { method: 'POST', body: { lot: 'E2E-WI', product: 'strep-a-plus', quantity: 1_250_000 } })).status).toBe(201);
    // the live plan is computed by the load's re-plan: the time since then is what "now" may have moved
    const measuredAt = Date.now();
    expect((await e2e.api('/api/work-orders/E2E-WI/operations/0/load', { method: 'POST', body: { machine: 'line11', mode: 'append' } })).status).toBe(200);
    const before = await e2e.api<{ operations: { forecastEnd: string | null }[] }>('/api/work-orders/E2E-WI');
    const liveEnd = Date.parse(before.body.operations[0].forecastEnd!);

    const page = await e2e.newPage({ width: 1600, height: 1000 });
    await page.goto('/board');
    await page.getByTestId('open-scenarios').click();
    await page.waitForURL('**/scenarios');
    await page.getByTestId('scenario-name').fill('Line 11 down tomorrow');
    await page.getByTestId('scenario-create').click();
    await page.waitForURL(/\/scenarios\/\d+$/);
    await expectText(page.getByTestId('scenario-title'), 'Line 11 down tomorrow');

    // the form starts on "Line down" for tomorrow, one day
    await page.getByTestId('edit-kind-machineDown').click();
    await page.getByTestId('edit-machine').selectOption('line11');
    const tomorrow = DateTime.now().setZone(zone).plus({ days: 1 }).toISODate()!;
    await page.getByTestId('edit-day').fill(tomorrow);
    await page.getByTestId('edit-add').click();
    await expectText(page.getByTestId('scenario-edits'), /Line 11 down/);

    // that line's lot finishes one plant-local day later; the last finish moves with it
    const row = page.getByTestId('finish-E2E-WI');
    await expectText(page.getByTestId('finish-E2E-WI-difference'), /^\+2[345]\.0 h$/);
    expect(await row.getAttribute('data-changed')).toBe('true');
    // changed orders come first: no unchanged row above a changed one
    const flags = await page.locator('[data-testid="scenario-finishes"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-changed')));
    expect(flags.indexOf('false') === -1 || flags.lastIndexOf('true') < flags.indexOf('false')).toBe(true);
    expect(await page.getByTestId('kpi-last-end').getAttribute('data-tone')).toBe('worse');
    await expectText(page.getByTestId('utilisation-line11'), /scenario/);
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'scenario-line-down.png'), fullPage: true });

    await page.getByTestId('scenario-publish').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox').fill('Line 11 maintenance tomorrow');
    await dialog.getByRole('button', { name: 'Publish' }).click();
    await expectText(page.getByTestId('scenario-state'), 'Published');

    const after = await e2e.api<{ operations: { forecastEnd: string | null }[] }>('/api/work-orders/E2E-WI');
    // one plant-local day later — plus, during a shift, the time since the first measure (Line 11 runs from now)
    const later = Date.parse(after.body.operations[0].forecastEnd!) - DateTime.fromMillis(liveEnd, { zone }).plus({ days: 1 }).toMillis();
    expect(later).toBeGreaterThanOrEqual(0);
    expect(later).toBeLessThanOrEqual(Date.now() - measuredAt + 1);
    await expectVisible(page.getByTestId('scenario-kpis'));

    // the published line-down is drawn on Line 11's lane; the planner removes it there and the time comes back
    await page.goto('/board?group=pouching-itrak&zoom=week');
    const block = page.locator('[data-testid^="downtime-line11-"]');
    await expectVisible(block);
    expect(await block.getAttribute('title')).toContain('Line 11 maintenance tomorrow');
    await block.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, 'board-downtime.png') });
    await block.click();
    const remove = page.getByRole('dialog');
    await remove.getByRole('textbox').fill('maintenance postponed');
    await remove.getByRole('button', { name: 'Remove downtime' }).click();
    await expectText(page.getByTestId('toast-success'), 'Downtime of Line 11 removed');
    expect(await block.count()).toBe(0);
    const restored = await e2e.api<{ operations: { forecastEnd: string | null }[] }>('/api/work-orders/E2E-WI');
    expect(Date.parse(restored.body.operations[0].forecastEnd!)).toBeLessThan(Date.parse(after.body.operations[0].forecastEnd!));
  });

  it('a rush order at the front of a line and a move to the parking lot, from the forms', async () => {
    expect((await e2e.api('/api/work-orders', { method: 'POST', body: { lot: 'E2E-MV', product: 'flu-ab', quantity: 40_000 } })).status).toBe(201);
    expect((await e2e.api('/api/work-orders/E2E-MV/operations/0/load', { method: 'POST', body: { machine: 'line10', mode: 'append' } })).status).toBe(200);
    const page = await e2e.newPage({ width: 1600, height: 1000 });
    await page.goto('/scenarios');
    await page.getByTestId('scenario-name').fill('Rush on Line 10');
    await page.getByTestId('scenario-create').click();
    await page.waitForURL(/\/scenarios\/\d+$/);

    await page.getByTestId('edit-kind-rushOrder').click();
    await page.getByTestId('edit-lot').fill('E2E-RUSH');
    await page.getByTestId('edit-product').selectOption('strep-a-plus');
    await page.getByTestId('edit-quantity').fill('30000');
    await page.getByTestId('edit-target').selectOption('line10');
    await page.getByTestId('edit-position').fill('1');
    await page.getByTestId('edit-add').click();
    await expectText(page.getByTestId('scenario-edits'), /Rush order E2E-RUSH: 30,000 × strep-a-plus on Line 10/);

    await page.getByTestId('edit-kind-move').click();
    await page.getByTestId('edit-lot').fill('E2E-MV');
    await page.getByTestId('edit-step').fill('1');
    await page.getByTestId('edit-add').click();
    await expectText(page.getByTestId('scenario-edits'), /E2E-MV step 1 → parking lot/);

    // the rush order is new in the scenario; the moved lot has no finish there any more
    await expectVisible(page.getByTestId('finish-E2E-RUSH'));
    expect(await page.getByTestId('finish-E2E-RUSH').getAttribute('data-changed')).toBe('true');
    expect(await page.getByTestId('finish-E2E-MV').getAttribute('data-changed')).toBe('true');
    await page.screenshot({ path: join(screenshotDir, 'scenario-rush-move.png'), fullPage: true });

    // a bad place is a field error on the form, not a lost edit
    e2e.allowConsoleErrors(/status of 400 .*\/api\/scenarios\/\d+\/edits/);
    await page.getByTestId('edit-kind-move').click();
    await page.getByTestId('edit-lot').fill('NO-SUCH-LOT');
    await page.getByTestId('edit-add').click();
    await expectVisible(page.getByTestId('edit-form').getByRole('alert'));
    await expectText(page.getByTestId('scenario-edits'), /E2E-MV step 1 → parking lot/);
  });
});
