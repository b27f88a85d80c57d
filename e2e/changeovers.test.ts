// Changeovers (issue 15): an administrator edits the iTrak changeover matrix as a table — a duplicate
// rule comes back from the server as a message at its row — saves it, and the board draws the
// changeover before the next job of another family as a hatched lead-in of its bar, with the minutes
// in the tooltip. Independent of the plant's time of day: the day zoom shows the next 20 hours, and
// at night the jobs wait for the morning shift (06:30), well inside that.
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { WorkOrder } from '../src/features/orders/schemas.js';
import { expectText, expectVisible, parkDemoLots, screenshotDir, useE2E } from './harness.js';

const e2e = useE2E();
const SHOTS = screenshotDir;

async function createAndLoad(lot: string, product: string, quantity: number, machine: string): Promise<void> {
  const created = await e2e.api<WorkOrder>('/api/work-orders', { method: 'POST', body: { lot, product, quantity } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const loaded = await e2e.api<WorkOrder>(`/api/work-orders/${lot}/operations/0/load`, { method: 'POST', body: { machine, mode: 'append' } });
  expect(loaded.status, JSON.stringify(loaded.body)).toBe(200);
}

describe('changeover matrix', () => {
  it('is edited in Admin and drawn as a hatched lead-in on the board', async () => {
    await parkDemoLots(e2e, ['line7']);
    await createAndLoad('CO1', 'flu-ab', 20_000, 'line7');
    await createAndLoad('CO2', 'strep-a-plus', 20_000, 'line7');

    const page = await e2e.newPage({ width: 1600, height: 1000 });
    // the product's family is on the Products tab
    await page.goto('/admin/products');
    await expectText(page.getByTestId('row-flu-ab'), /\bflu\b/);

    await page.goto('/admin/changeovers');
    await expectVisible(page.getByTestId('co-table'));
    expect(await page.getByTestId('co-group').inputValue()).toBe('pouching-itrak');
    // the demo's matrix: * → * 45, flu → strep 90, strep → flu 120, covid → * 150
    await expectText(page.getByTestId('co-version'), 'Version 2');
    expect(await page.getByTestId('co-from-1').inputValue()).toBe('flu');
    expect(await page.getByTestId('co-to-1').inputValue()).toBe('strep');
    expect(await page.getByTestId('co-minutes-1').inputValue()).toBe('90');

    // a second * → * rule: the server names the row (its 400 is expected)
    e2e.allowConsoleErrors(/status of 400 .*\/api\/process-groups\/pouching-itrak\/changeovers/);
    await page.getByTestId('co-add').click();
    await page.getByTestId('co-minutes-4').fill('30');
    await page.getByTestId('co-save').click();
    await expectText(page.getByTestId('co-error-4'), '* → * is already rule 1');
    await expectText(page.getByTestId('co-version'), 'unsaved changes');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/changeover-admin.png` });

    // take it out again, make flu → strep three hours and save
    await page.getByTestId('co-remove-4').click();
    await page.getByTestId('co-minutes-1').fill('180');
    await page.getByTestId('co-save').click();
    await expectText(page.getByTestId('toast-success'), 'Changeovers of Pouching – iTrak saved (version 3)');
    await expectText(page.getByTestId('co-version'), /^Version 3$/);
    const matrix = await e2e.api<{ version: number; rules: { from: string; to: string; minutes: number }[] }>('/api/process-groups/pouching-itrak/changeovers');
    expect(matrix.body.rules).toContainEqual({ from: 'flu', to: 'strep', minutes: 180 });
    expect(matrix.body.rules).toHaveLength(4);

    // the save re-planned: CO2 (strep after flu) changes over for 180 minutes; CO1, the line's first job, has none
    const second = (await e2e.api<WorkOrder>('/api/work-orders/CO2')).body.operations[0];
    expect(second.changeoverMinutes).toBe(180);
    expect((await e2e.api<WorkOrder>('/api/work-orders/CO1')).body.operations[0].changeoverMinutes).toBe(0);

    await page.goto('/board?group=pouching-itrak&zoom=day');
    const lane = page.getByTestId('track-line7');
    const bar = lane.getByTestId('bar-CO2-0');
    await expectVisible(bar);
    expect(await bar.getAttribute('data-changeover-minutes')).toBe('180');
    expect(await bar.getAttribute('title')).toContain('changeover 3 h');
    const leadIn = bar.getByTestId('changeover-CO2-0');
    await expectVisible(leadIn);
    const hatch = await leadIn.evaluate((element) => getComputedStyle(element).backgroundImage);
    expect(hatch).toContain('repeating-linear-gradient');
    // the lead-in is the bar's first part: it starts where the bar does and covers part of it
    const [barBox, leadBox] = [await bar.boundingBox(), await leadIn.boundingBox()];
    expect(barBox && leadBox).toBeTruthy();
    expect(Math.abs(leadBox!.x - barBox!.x)).toBeLessThan(4);
    expect(leadBox!.width).toBeGreaterThan(20);
    expect(leadBox!.width).toBeLessThan(barBox!.width);
    expect(await lane.getByTestId('bar-CO1-0').getByTestId('changeover-CO1-0').count()).toBe(0);

    await bar.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/changeover-board.png` });

    // the work order's panel says the step starts with the changeover
    await bar.click();
    await expectVisible(page.getByTestId('wo-panel'));
    await expectText(page.getByTestId('wo-op-changeover-0'), 'starts with a 3 h changeover');
    await page.keyboard.press('Escape');

    // the planner knows Line 7 last ran strep: its first job (CO1, flu) now changes over strep → flu
    await page.goto('/admin/changeovers');
    await page.getByTestId('co-last-line7').selectOption('strep');
    await expectText(page.getByTestId('toast-success'), 'Line 7 last ran strep');
    expect((await e2e.api<WorkOrder>('/api/work-orders/CO1')).body.operations[0].changeoverMinutes).toBe(120);
  });
});
