// A move on the board costs one board request: the move's answer plus the live announcement of the
// change, not an extra refetch of its own on top of the live one.
import { beforeAll, describe, it, expect } from 'vitest';
import type { WorkOrder } from '../src/features/orders/schemas.js';
import { expectHidden, expectVisible, parkDemoLots, useE2E } from './harness.js';

const e2e = useE2E();
const HOUR = 3_600_000;

async function createOrder(lot: string, product: string, quantity: number, due: string): Promise<void> {
  const created = await e2e.api<WorkOrder>('/api/work-orders', { method: 'POST', body: { lot, product, quantity, due } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
}

describe('planning board moves', () => {
  // the demo keeps every iTrak line busy: these journeys plan on Lines 7 and 8 of their own
  beforeAll(() => parkDemoLots(e2e, ['line7', 'line8']));

  it('fetches the board once after a drop, and shows the dropped job where the server put it', async () => {
    const due = new Date(Date.now() + 10 * 24 * HOUR).toISOString().slice(0, 10);
    await createOrder('M1001', 'flu-ab', 20_000, due);
    await createOrder('M1002', 'rsv', 10_000, due);
    const loaded = await e2e.api<WorkOrder>('/api/work-orders/M1001/operations/0/load', { method: 'POST', body: { machine: 'line7', mode: 'append' } });
    expect(loaded.status).toBe(200);

    const page = await e2e.newPage({ width: 1920, height: 1080 });
    await page.goto('/board?group=pouching-itrak&zoom=day');
    const lane = page.getByTestId('track-line7');
    await expectVisible(lane.getByTestId('bar-M1001-0'));
    const parked = page.getByTestId('parked-M1002-0');
    await expectVisible(parked);
    // the demo plant imports its sensor data in the background at start: its live event (which
    // refetches the board too) is let pass before the drop, so that only the drop's requests are counted
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { liveSeen: string[] }).liveSeen = seen;
      const source = new EventSource('/api/events');
      for (const topic of ['schedule', 'plant', 'calendar', 'production']) source.addEventListener(topic, () => seen.push(topic));
    });
    await page
      .waitForFunction(() => (window as unknown as { liveSeen: string[] }).liveSeen.includes('production'), undefined, { timeout: 30_000 })
      .catch(() => undefined);
    await page.waitForTimeout(500);

    const boardRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/schedule/board')) boardRequests.push(request.url());
    });
    const from = await parked.boundingBox();
    const to = await lane.getByTestId('bar-M1001-0').boundingBox();
    if (!from || !to) throw new Error('no boxes');
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 12, from.y + from.height / 2 + 4, { steps: 3 });
    // at the end of the lane's queue, well after the only job
    await page.mouse.move(to.x + to.width + 40, to.y + to.height / 2, { steps: 12 });
    await expectVisible(page.getByTestId('drag-ghost'));
    boardRequests.length = 0;
    await page.evaluate(() => ((window as unknown as { liveSeen: string[] }).liveSeen.length = 0));
    await page.mouse.up();

    await expectVisible(lane.getByTestId('bar-M1002-0'));
    await expectHidden(parked);
    expect(await lane.getByTestId('bar-M1002-0').getAttribute('data-position')).toBe('1');
    // whatever else would still come (a second refetch) comes within this
    await page.waitForTimeout(1500);
    const events = await page.evaluate(() => (window as unknown as { liveSeen: string[] }).liveSeen);
    expect(events).toEqual(['schedule']);
    expect(boardRequests, boardRequests.join('\n')).toHaveLength(1);
  });
});
