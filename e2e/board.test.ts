// The planning board: drag a parked job between two queued ones, see the queue, the bars and the
// forecast change, and a second browser follow live; park by dragging back; plan from the action
// menu without dragging; screenshots at day, week and month zoom for a look at 1920×1080.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, it, expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { WorkOrder } from '../src/features/orders/schemas.js';
import { formatInstant } from '../web/src/pages/work-orders/format.js';
import { expectHidden, expectText, expectVisible, parkDemoLots, screenshotDir, useE2E } from './harness.js';

const e2e = useE2E();
const HOUR = 3_600_000;
const TV = { width: 1920, height: 1080 };

async function createOrder(lot: string, product: string, quantity: number, due: string | null): Promise<WorkOrder> {
  const created = await e2e.api<WorkOrder>('/api/work-orders', { method: 'POST', body: { lot, product, quantity, due } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

async function load(lot: string, machine: string, mode: 'append' | 'insert' | 'replace' = 'append'): Promise<WorkOrder> {
  const loaded = await e2e.api<WorkOrder>(`/api/work-orders/${lot}/operations/0/load`, { method: 'POST', body: { machine, mode } });
  expect(loaded.status, JSON.stringify(loaded.body)).toBe(200);
  return loaded.body;
}

async function order(lot: string): Promise<WorkOrder> {
  const found = await e2e.api<WorkOrder>(`/api/work-orders/${lot}`);
  expect(found.status).toBe(200);
  return found.body;
}

/** Polls until the first operation of each lot sits where expected. */
async function expectQueue(machine: string, lots: string[], timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen: string[] = [];
  while (Date.now() < deadline) {
    const ops = await Promise.all(lots.map(async (lot) => ({ lot, op: (await order(lot)).operations[0] })));
    seen = ops.map(({ lot, op }) => `${lot}@${op.machine}#${op.position}`);
    if (ops.every(({ op }, index) => op.machine === machine && op.position === index)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`expected ${machine} to run ${lots.join(', ')} in that order; the server has ${seen.join(', ')}`);
}

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  if (!found) throw new Error(`${String(locator)} has no box (not visible?)`);
  return found;
}

/** A real mouse drag: press, move in steps (the board starts a drag after a few pixels), release. */
async function dragTo(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 12, from.y + 4, { steps: 3 });
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await expectVisible(page.getByTestId('drag-ghost'));
  await page.mouse.up();
}

async function openBoard(page: Page, zoom = 'day'): Promise<void> {
  await page.goto(`/board?group=pouching-itrak&zoom=${zoom}`);
  await expectVisible(page.getByTestId('gantt'));
}

describe('planning board', () => {
  // the demo keeps every iTrak line busy: these journeys plan on Lines 7 and 8, so their demo lots go to the parking lot first
  beforeAll(() => parkDemoLots(e2e, ['line7', 'line8']));

  it('drops a parked job between two queued jobs: queue, bars, forecast and a second browser follow', async () => {
    const due = new Date(Date.now() + 10 * 24 * HOUR).toISOString().slice(0, 10);
    await createOrder('D1001', 'flu-ab', 20_000, due);
    await createOrder('D1002', 'strep-a-plus', 15_000, due);
    await createOrder('D1003', 'rsv', 10_000, due);
    await load('D1001', 'line7');
    await load('D1002', 'line7');
    const secondBefore = (await order('D1002')).operations[0];
    expect(secondBefore.forecastStart).not.toBeNull();

    const page = await e2e.newPage(TV);
    await openBoard(page);
    const lane = page.getByTestId('track-line7');
    const first = lane.getByTestId('bar-D1001-0');
    const second = lane.getByTestId('bar-D1002-0');
    await expectVisible(first);
    await expectVisible(second);
    const parked = page.getByTestId('parked-D1003-0');
    await expectVisible(parked);
    await expectText(page.getByTestId('parking-lot'), 'D1003');

    // someone else watching the same board
    const watcher = await e2e.newPage(TV);
    await openBoard(watcher);
    await expectVisible(watcher.getByTestId('track-line7').getByTestId('bar-D1002-0'));
    expect(await watcher.getByTestId('bar-D1003-0').count()).toBe(0);

    // drop inside the first job, after its start: one bar starts before the drop → position 1
    const firstBox = await box(first);
    const parkedBox = await box(parked);
    const target = { x: firstBox.x + firstBox.width * 0.6, y: firstBox.y + firstBox.height / 2 };
    await page.mouse.move(parkedBox.x + parkedBox.width / 2, parkedBox.y + parkedBox.height / 2);
    await page.mouse.down();
    await page.mouse.move(parkedBox.x + parkedBox.width / 2 - 20, parkedBox.y + parkedBox.height / 2, { steps: 3 });
    await page.mouse.move(target.x, target.y, { steps: 15 });
    await expectText(page.getByTestId('drop-marker'), 'Between D1001 and D1002');
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'board-dragging.png') });
    await page.mouse.up();

    await expectQueue('line7', ['D1001', 'D1003', 'D1002']);

    // the other browser shows the new bar without a reload, within a second
    await expectVisible(watcher.getByTestId('track-line7').getByTestId('bar-D1003-0'), 1000);

    // on screen: the dropped job sits between the two, the parking lot is empty
    const moved = lane.getByTestId('bar-D1003-0');
    await expectVisible(moved);
    await expectHidden(page.getByTestId('parked-D1003-0'));
    const [a, c, b] = [await box(first), await box(moved), await box(second)];
    expect(c.x).toBeGreaterThanOrEqual(a.x + a.width - 2);
    expect(b.x).toBeGreaterThanOrEqual(c.x + c.width - 2);

    // the forecast of the job pushed back moved later, and the panel says so
    const secondAfter = (await order('D1002')).operations[0];
    expect(Date.parse(secondAfter.forecastStart ?? '')).toBeGreaterThan(Date.parse(secondBefore.forecastStart ?? ''));
    const zone = e2e.config.QMFG_TZ;
    await second.click();
    await expectVisible(page.getByTestId('wo-panel'));
    await expectText(page.getByTestId('wo-op-where-0'), 'Line 7 · #3 in queue');
    await expectText(page.getByTestId('wo-op-start-0'), formatInstant(secondAfter.forecastStart, zone));
    await expectText(page.getByTestId('wo-op-end-0'), formatInstant(secondAfter.forecastEnd, zone));
    await expectText(page.getByTestId('wo-history'), 'Loaded (append)');
    await page.waitForTimeout(300); // the panel's slide-in
    await page.screenshot({ path: join(screenshotDir, 'board-panel.png') });
    await page.keyboard.press('Escape');
    await expectHidden(page.getByTestId('wo-panel'));

    // the dropped job's own panel shows the audit entry of the drag
    await moved.click();
    await expectText(page.getByTestId('wo-history'), 'Moved on the board');
    await expectText(page.getByTestId('wo-op-where-0'), 'Line 7 · #2 in queue');
    await page.keyboard.press('Escape');
    await expectHidden(page.getByTestId('wo-panel'));

    // within the lane: the last job dropped inside the first one goes right after it
    const lastBox = await box(second);
    const headBox = await box(first);
    await dragTo(page, { x: lastBox.x + lastBox.width / 2, y: lastBox.y + lastBox.height / 2 }, { x: headBox.x + headBox.width * 0.7, y: headBox.y + headBox.height / 2 });
    await expectQueue('line7', ['D1001', 'D1002', 'D1003']);
    await expectVisible(watcher.getByTestId('track-line7').getByTestId('bar-D1002-0'));
    const [a2, b2, c2] = [await box(first), await box(second), await box(moved)];
    expect(b2.x).toBeGreaterThanOrEqual(a2.x + a2.width - 2);
    expect(c2.x).toBeGreaterThanOrEqual(b2.x + b2.width - 2);
  });

  it('parks a bar by dragging it onto the parking lot, and loads from the action menu without dragging', async () => {
    await createOrder('P2001', 'sars-ag', 8_000, null);
    await createOrder('P2002', 'flu-sars', 12_000, null);
    await load('P2001', 'line8');
    const page = await e2e.newPage(TV);
    await openBoard(page);
    const bar = page.getByTestId('track-line8').getByTestId('bar-P2001-0');
    await expectVisible(bar);

    const barBox = await box(bar);
    const lotBox = await box(page.getByTestId('parking-lot'));
    await dragTo(page, { x: barBox.x + Math.min(60, barBox.width / 2), y: barBox.y + barBox.height / 2 }, { x: lotBox.x + lotBox.width / 2, y: lotBox.y + 120 });
    await expectVisible(page.getByTestId('parked-P2001-0'));
    expect((await order('P2001')).operations[0].state).toBe('parked');
    expect(await page.getByTestId('bar-P2001-0').count()).toBe(0);

    // keyboard / touch path: open the parked job, choose the machine and mode, load
    await page.getByTestId('parked-P2002-0').focus();
    await page.keyboard.press('Enter');
    await expectVisible(page.getByTestId('op-actions'));
    await page.getByTestId('action-machine').selectOption('line8');
    await page.getByTestId('action-mode-insert').click();
    await page.getByTestId('action-load').click();
    await expectText(page.getByTestId('wo-op-where-0'), 'Line 8 · #1 in queue');
    await page.keyboard.press('Escape');
    await expectVisible(page.getByTestId('track-line8').getByTestId('bar-P2002-0'));
    expect((await order('P2002')).operations[0]).toMatchObject({ machine: 'line8', position: 0 });

    // hold from the menu: the bar is hatched and says HELD
    await page.getByTestId('bar-P2002-0').click();
    await page.getByTestId('action-hold').click();
    await expectVisible(page.getByTestId('action-release'));
    await page.keyboard.press('Escape');
    await expectText(page.getByTestId('bar-P2002-0'), 'HELD');
    expect(await page.getByTestId('bar-P2002-0').getAttribute('class')).toContain('bar-held');
    expect((await order('P2002')).operations[0].state).toBe('held');
  });

  it('zooms with the wheel around the pointer, pans by dragging the axis, and asks for the new window', async () => {
    const page = await e2e.newPage(TV);
    await openBoard(page, 'day');
    const boardEl = page.getByTestId('board');
    const view = async () => ({ start: Number(await boardEl.getAttribute('data-view-start')), end: Number(await boardEl.getAttribute('data-view-end')) });
    const before = await view();
    expect(Math.abs(before.end - before.start - 24 * HOUR)).toBeLessThanOrEqual(2);

    // wheel up over the middle of the lanes: zoom in, the instant under the pointer stays put
    const axis = await box(page.getByTestId('gantt-axis'));
    const lanes = await box(page.getByTestId('gantt-lanes'));
    const pointerX = axis.x + axis.width / 2;
    await page.mouse.move(pointerX, lanes.y + 40);
    await page.mouse.wheel(0, -400);
    await page.waitForFunction((old) => Number(document.querySelector('[data-testid="board"]')?.getAttribute('data-view-end')) !== old, before.end);
    const zoomed = await view();
    expect(zoomed.end - zoomed.start).toBeLessThan(before.end - before.start);
    expect(zoomed.end - zoomed.start).toBeGreaterThanOrEqual(HOUR);
    expect(Math.abs((zoomed.start + zoomed.end) / 2 - (before.start + before.end) / 2)).toBeLessThan(2 * 60_000);

    // drag the axis 300 px to the right: the window moves earlier by 300 px worth of time
    const span = zoomed.end - zoomed.start;
    await page.mouse.move(pointerX, axis.y + axis.height / 2);
    await page.mouse.down();
    await page.mouse.move(pointerX + 150, axis.y + axis.height / 2, { steps: 5 });
    await page.mouse.move(pointerX + 300, axis.y + axis.height / 2, { steps: 5 });
    await page.mouse.up();
    const panned = await view();
    expect(panned.end - panned.start).toBeCloseTo(span, -3);
    const expectedShift = (300 / axis.width) * span;
    expect(Math.abs(zoomed.start - panned.start - expectedShift)).toBeLessThan(expectedShift * 0.05);

    // far enough later, the board asks the server for that window
    const request = page.waitForRequest((r) => r.url().includes('/api/schedule/board') && Number(new URL(r.url()).searchParams.get('to')) > panned.end + 3 * 24 * HOUR);
    await page.getByTestId('zoom-day').click();
    for (let i = 0; i < 8; i++) await page.getByTestId('pan-later').click();
    await request;
    await expectHidden(page.getByTestId('board-updating'));

    // the presets reach both ends of the range
    await page.getByTestId('zoom-year').click();
    let shown = await view();
    expect(Math.abs(shown.end - shown.start - 365 * 24 * HOUR)).toBeLessThanOrEqual(2);
    await page.getByTestId('zoom-1h').click();
    shown = await view();
    expect(Math.abs(shown.end - shown.start - HOUR)).toBeLessThanOrEqual(2);
    expect(page.url()).toContain('zoom=1h');
    await page.getByTestId('pan-now').click();
    shown = await view();
    expect(Date.now()).toBeGreaterThan(shown.start);
    expect(Date.now()).toBeLessThan(shown.end);
  });

  it('looks right at day, week and month zoom on a 1080p screen', async () => {
    const soon = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();
    // the demo plant fills lines 6, 9, 10 and 11 (its lots of 7 and 8 were parked); the earlier tests left jobs on 7 and 8
    const plan: [lot: string, product: string, quantity: number, due: string | null, machine: string | null][] = [
      ['159070', 'flu-ab', 40_000, soon(24 * 6), 'line7'],
      ['159071', 'sars-ag', 25_000, soon(24 * 8), 'line7'],
      ['159080', 'strep-a-plus', 90_000, soon(10), 'line8'],
      ['159081', 'flu-sars', 30_000, soon(24 * 9), 'line8'],
      ['159091', 'rsv', 35_000, soon(24 * 14), 'line11'],
      ['159092', 'sars-ag', 20_000, soon(24 * 3), null],
      ['159093', 'flu-sars', 45_000, soon(30), null],
      ['159094', 'strep-a-plus', 15_000, null, null],
    ];
    for (const [lot, product, quantity, due, machine] of plan) {
      await createOrder(lot, product, quantity, due);
      if (machine) await load(lot, machine);
    }
    await e2e.api('/api/work-orders/159080/operations/0/counts', { method: 'POST', body: { produced: 14_500 } });
    await e2e.api('/api/work-orders/159091/operations/0/hold', { method: 'POST', body: { reason: 'label check' } });
    expect((await order('159080')).late).toBe(true);

    mkdirSync(screenshotDir, { recursive: true });
    const page = await e2e.newPage(TV);
    await openBoard(page, 'day');
    await expectVisible(page.getByTestId('bar-159080-0'));
    await expectText(page.getByTestId('bar-159080-0'), 'LATE');
    for (const zoom of ['shift', 'day', 'week', 'month']) {
      await page.getByTestId(`zoom-${zoom}`).click();
      expect(await page.getByTestId(`zoom-${zoom}`).getAttribute('aria-pressed')).toBe('true');
      // the window's data has arrived (debounced refetch settled)
      await page.waitForTimeout(400);
      await expectHidden(page.getByTestId('board-updating'));
      // 8 h around now may hold no working time (at night the lot starts with the next shift): pan on to it
      for (let pans = 0; zoom === 'shift' && pans < 4 && (await page.getByTestId('bar-159080-0').count()) === 0; pans++) {
        await page.getByTestId('pan-later').click();
        await page.waitForTimeout(400);
        await expectHidden(page.getByTestId('board-updating'));
      }
      await expectVisible(page.getByTestId('bar-159080-0'));
      await page.screenshot({ path: join(screenshotDir, `board-${zoom}.png`) });
    }
    // the lot labels stay large enough to read across a room
    const lotFont = await page.getByTestId('bar-160101-0').locator('.bar-lot').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(lotFont).toBeGreaterThanOrEqual(18);

    // a tablet in landscape: the same board, no horizontal page scroll
    const tablet = await e2e.newPage({ width: 1180, height: 820 });
    await openBoard(tablet, 'week');
    await expectVisible(tablet.getByTestId('bar-159080-0'));
    expect(await tablet.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await tablet.screenshot({ path: join(screenshotDir, 'board-tablet-week.png') });
  });

  describe('issue 9: numbers a plant can trust on the board', () => {
    it('Re-plan now for planners (hidden for a viewer); a drop in front of the running job says why nothing moved; the lane summary does not change with the zoom', async () => {
      const page = await e2e.newPage(TV);
      await openBoard(page, 'day');
      // the lane summary is the whole queue of Line 6 (160101 running, 160102 and 160117 behind it), whatever the zoom
      const summary = page.getByTestId('lane-line6').locator('.lane-label');
      await expectText(summary, /3 jobs/);
      // the queue summary, without the plan-against-actual drift badge (that one is about the window shown)
      const queueSummary = () =>
        summary.evaluate((label) => {
          const copy = label.cloneNode(true) as HTMLElement;
          copy.querySelectorAll('.badge-drift').forEach((badge) => badge.remove());
          return copy.textContent ?? '';
        });
      const atDay = await queueSummary();
      for (const zoom of ['week', 'month', 'week']) {
        await page.getByTestId(`zoom-${zoom}`).click();
        await expectVisible(page.getByTestId('track-line6').getByTestId('bar-160101-0'));
        await page.waitForTimeout(400);
        expect(await queueSummary(), `lane summary at ${zoom} zoom`).toBe(atDay);
      }

      await page.getByTestId('replan-now').click();
      await expectText(page.getByTestId('toast-success'), /^Re-planned/);

      // drag 160102 to the left of the running job: it stays right after it, and the board says so
      const running = await box(page.getByTestId('bar-160101-0'));
      const queued = await box(page.getByTestId('bar-160102-0'));
      const track = await box(page.getByTestId('track-line6'));
      await dragTo(page, { x: queued.x + queued.width / 2, y: queued.y + queued.height / 2 }, { x: Math.max(track.x + 4, running.x - 30), y: running.y + running.height / 2 });
      await expectText(page.getByTestId('toast-info'), 'A running job stays first');
      await expectQueue('line6', ['160101', '160102']);
      mkdirSync(screenshotDir, { recursive: true });
      await page.screenshot({ path: join(screenshotDir, 'board-no-change-toast-1920x1080.png') });

      const viewer = await e2e.createUser('viewer');
      const viewerPage = await e2e.newPage(TV, { session: await e2e.signInApi(viewer) });
      await openBoard(viewerPage);
      await expectVisible(viewerPage.getByTestId('bar-160101-0'));
      expect(await viewerPage.getByTestId('replan-now').count()).toBe(0);
    });

    it('progress reads the same in list, panel and board; a lot whose later steps are parked shows its late risk', async () => {
      // 160101: 64 000 of 200 000 pouched, kitting not started
      const page = await e2e.newPage(TV);
      await page.goto('/work-orders');
      await expectText(page.getByTestId('wo-progress-160101'), '32 %');
      await expectText(page.getByTestId('wo-progress-160101'), '64,000 (step 1)');
      await page.getByTestId('wo-open-160101').click();
      await expectText(page.getByTestId('wo-produced'), '64,000');
      await expectText(page.getByTestId('wo-produced'), 'good after step 1 (Pouching – iTrak)');
      await page.screenshot({ path: join(screenshotDir, 'work-order-panel-progress-1920x1080.png') });
      await openBoard(page);
      expect(await page.getByTestId('bar-160101-0').getAttribute('aria-label')).toContain('64,000 of 200,000 produced');

      // like 160106: pouching on time, but QC release (24 h) and kitting cannot be done by the due date
      await createOrder('R9001', 'flu-ab', 50_000, null);
      const loaded = await load('R9001', 'line11');
      const pouchEnd = Date.parse(loaded.operations[0].forecastEnd as string);
      const due = new Date(pouchEnd + 12 * HOUR).toISOString();
      expect((await e2e.api(`/api/work-orders/R9001`, { method: 'PATCH', body: { due, version: loaded.version } })).status).toBe(200);
      await page.goto('/board?group=kitting&zoom=week');
      await expectText(page.getByTestId('parked-risk-R9001'), 'At risk');
      await expectText(page.getByTestId('parked-risk-R9001'), 'estimated to finish');
      await page.screenshot({ path: join(screenshotDir, 'board-kitting-at-risk-1920x1080.png') });
      await page.goto('/work-orders');
      await expectText(page.getByTestId('wo-late-R9001'), 'AT RISK');
      await expectText(page.getByTestId('wo-estimate-R9001'), 'est. end');
    });

    // On a phone the board scrolls with the page: notices float over it like snackbars and go by
    // themselves, and the page keeps room for them at its end, so nothing stays out of reach under one.
    it('at 390×844 the end of the board can be scrolled out from under the notices', async () => {
      const page = await e2e.newPage({ width: 390, height: 844 });
      await openBoard(page, 'week');
      for (let i = 0; i < 2; i++) {
        await expectVisible(page.locator('[data-testid="replan-now"]:not([disabled])'));
        await page.getByTestId('replan-now').click();
        await expectText(page.getByTestId('toast-success').last(), /^Re-planned/);
      }
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(screenshotDir, 'board-week-toast-390x844.png') });
      const notices = await box(page.locator('.toasts'));
      const controls = [...(await page.locator('[data-testid^="track-"]').all()), ...(await page.getByTestId('parking-lot').locator('button, a, input, select').all())];
      let last: { name: string; y: number; height: number; x: number; width: number } | null = null;
      for (const control of controls) {
        const b = await control.boundingBox();
        if (!b || b.height === 0 || !(await control.isVisible())) continue;
        if (!last || b.y + b.height > last.y + last.height) last = { ...b, name: (await control.getAttribute('data-testid')) ?? 'control' };
      }
      expect(last, 'a lane or control on the board').not.toBeNull();
      expect(last!.y + last!.height, `${last!.name} ends above the notices`).toBeLessThanOrEqual(notices.y + 1);
    });

    it('looks right at 1920×1080 and 1024×768 with toasts showing: they cover no lane and no control', async () => {
      const overlap = (a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }) =>
        a.x < b.x + b.width && a.x + a.width > b.x && a.y < b.y + b.height && a.y + a.height > b.y;
      for (const viewport of [TV, { width: 1024, height: 768 }]) {
        const page = await e2e.newPage(viewport);
        await openBoard(page, 'week');
        // three notices in a row: at most two show, the older one collapses
        for (let i = 0; i < 3; i++) {
          await expectVisible(page.locator('[data-testid="replan-now"]:not([disabled])'));
          await page.getByTestId('replan-now').click();
          await expectText(page.getByTestId('toast-success').last(), /^Re-planned/);
        }
        await page.waitForTimeout(300);
        const size = `${viewport.width}×${viewport.height}`;
        await page.screenshot({ path: join(screenshotDir, `board-week-toast-${viewport.width}x${viewport.height}.png`) });
        const toasts = await page.locator('[data-testid^="toast-"]').all();
        expect(toasts.length, `toasts shown at ${size}`).toBeLessThanOrEqual(2);
        const boxes = await Promise.all(toasts.map((t) => box(t)));
        boxes.push(await box(page.locator('.toasts')));
        // no lane of the board, no button of its toolbar or of the parking lot
        const covered = [
          ...(await page.locator('[data-testid^="track-"]').all()),
          ...(await page.locator('.board-toolbar button, .board-toolbar select, .board-toolbar a').all()),
          ...(await page.getByTestId('parking-lot').locator('button, a, input, select').all()),
        ];
        // what scrolls inside the board shows only within the board's own box
        const board = await box(page.getByTestId('board'));
        for (const control of covered) {
          const full = await control.boundingBox();
          if (!full || full.height === 0 || !(await control.isVisible())) continue;
          const top = Math.max(full.y, board.y);
          const bottom = Math.min(full.y + full.height, board.y + board.height);
          if (bottom <= top) continue;
          const area = { ...full, y: top, height: bottom - top };
          for (const toast of boxes) {
            const name = (await control.getAttribute('data-testid')) ?? (await control.innerText()).slice(0, 30);
            expect(overlap(toast, area), `a toast covers ${name} at ${size}`).toBe(false);
          }
        }
        // confirmations go by themselves
        await expectHidden(page.getByTestId('toast-success').first(), 12_000);
      }
    });
  });
});
