// "Suggest a plan" on the board (issue 15 item 2): a planner asks for a suggestion, reads the diff
// with its KPIs, accepts it for one machine, and the board shows that machine's new order. The
// assertions compare with the suggestion the server returned, so the journey holds at any time of day.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Board } from '../src/features/orders/schemas.js';
import type { Suggestion } from '../src/features/orders/suggestion-schemas.js';
import { expectHidden, expectText, expectVisible, parkDemoLots, screenshotDir, useE2E } from './harness.js';

const e2e = useE2E();
const DAY = 86_400_000;

describe('suggest a plan', () => {
  // the demo keeps every iTrak line busy: Lines 7 and 8 are emptied for this journey
  beforeAll(() => parkDemoLots(e2e, ['line7', 'line8']));

  it('shows the suggestion as a diff with KPIs, accepts it for one machine, and the board shows its new order', async () => {
    // a bad plan on Line 7: three long lots in the reverse of their due order (the last one due tomorrow)
    for (const [lot, days] of [['SG1', 14], ['SG2', 9], ['SG3', 1]] as const) {
      const created = await e2e.api('/api/work-orders', { method: 'POST', body: { lot, product: 'flu-ab', quantity: 60_000, due: new Date(Date.now() + days * DAY).toISOString() } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const loaded = await e2e.api(`/api/work-orders/${lot}/operations/0/load`, { method: 'POST', body: { machine: 'line7', mode: 'append' } });
      expect(loaded.status).toBe(200);
    }
    const planner = await e2e.createUser('planner', { displayName: 'Pat Planner' });
    const page = await e2e.newPage({ width: 1600, height: 1000 }, { session: await e2e.signInApi(planner) });
    await page.goto('/board?group=pouching-itrak&zoom=week');
    await expectVisible(page.getByTestId('track-line7').getByTestId('bar-SG3-0'));

    // the answer is held until the progress bar has been seen (the search may end before a check could look)
    let release: () => void = () => undefined;
    const seen = new Promise<void>((resolve) => (release = resolve));
    let suggestion: Suggestion | undefined;
    await page.route('**/api/schedule/suggestions', async (route) => {
      const answer = await route.fetch();
      suggestion = (await answer.json()) as Suggestion;
      await seen;
      await route.fulfill({ response: answer });
    });
    await page.getByTestId('suggest-plan').click();
    await expectVisible(page.getByTestId('suggestion-progress'));
    release();
    const panel = page.getByTestId('suggestion-panel');
    await expectVisible(panel.getByTestId('suggestion-kpis'));
    await expectHidden(panel.getByTestId('suggestion-progress'));
    if (!suggestion) throw new Error('no suggestion was answered');

    // the KPIs before → after are the server's (the suggestion also plans the parked demo lots, whose lateness "now" does not count)
    expect(suggestion.kpis.after.unplannedOperations).toBeLessThan(suggestion.kpis.before.unplannedOperations);
    await expectVisible(panel.getByTestId('suggestion-parked-note'));
    await expectText(panel.getByTestId('kpi-late-before'), String(suggestion.kpis.before.lateWorkOrders));
    await expectText(panel.getByTestId('kpi-late-after'), String(suggestion.kpis.after.lateWorkOrders));
    // and the fair "before" beside it: the parked lots loaded at the end where each finishes earliest
    await expectText(panel.getByTestId('kpi-late-baseline'), String(suggestion.kpis.parkedAtEnd.lateWorkOrders));
    await expectText(panel.getByTestId('kpi-tardiness-baseline'), `${suggestion.kpis.parkedAtEnd.totalTardinessHours.toFixed(1)} h`);
    expect(suggestion.kpis.after.totalTardinessHours).toBeLessThanOrEqual(suggestion.kpis.parkedAtEnd.totalTardinessHours + 1e-6);
    await expectText(panel.getByTestId('kpi-tardiness-before'), `${suggestion.kpis.before.totalTardinessHours.toFixed(1)} h`);
    await expectText(panel.getByTestId('kpi-tardiness-after'), `${suggestion.kpis.after.totalTardinessHours.toFixed(1)} h`);
    await expectText(panel.getByTestId('kpi-changeover-after'), `${suggestion.kpis.after.changeoverHours.toFixed(1)} h`);

    // Line 7 changes (SG3 cannot stay last); its card lists the suggested order and the moves
    const suggestedLine7 = (suggestion!.queues.line7 ?? []).map((entry) => entry.lot);
    expect(suggestion.machines.map((m) => m.machine)).toContain('line7');
    const card = panel.getByTestId('suggestion-machine-line7');
    await expectVisible(card);
    expect(await card.getByTestId('suggested-line7').locator('li[data-lot]').evaluateAll((items) => items.map((li) => li.getAttribute('data-lot')))).toEqual(suggestedLine7);
    const diff = suggestion.machines.find((m) => m.machine === 'line7')!;
    expect(await card.getByTestId('moves-line7').locator('li').count()).toBe(diff.moves.length);
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'suggestion-panel.png') });

    const before = (await e2e.api<Board>(`/api/schedule/board?group=pouching-itrak&from=${Date.now() - DAY}&to=${Date.now() + 400 * DAY}`)).body;
    const laneOrder = (board: Board, machine: string) => [...board.lanes.find((l) => l.machine === machine)!.bars].sort((a, b) => (a.position ?? 0) - (b.position ?? 0)).map((b) => b.lot);
    // accepting Line 7 alone: what the suggestion sends elsewhere from it waits in the parking lot, other lanes keep their order
    const movedOff = before.lanes.find((l) => l.machine === 'line7')!.bars.map((b) => b.lot).filter((lot) => !suggestedLine7.includes(lot));
    await card.getByTestId('suggestion-accept-line7').click();
    await expectHidden(panel);

    const after = (await e2e.api<Board>(`/api/schedule/board?group=pouching-itrak&from=${Date.now() - DAY}&to=${Date.now() + 400 * DAY}`)).body;
    expect(laneOrder(after, 'line7')).toEqual(suggestedLine7);
    for (const lot of movedOff) expect(after.parked.map((b) => b.lot)).toContain(lot);
    for (const lane of before.lanes.filter((l) => l.machine !== 'line7')) {
      expect(laneOrder(after, lane.machine)).toEqual(laneOrder(before, lane.machine).filter((lot) => !suggestedLine7.includes(lot)));
    }

    // the board shows Line 7's new order: its bars by position are the suggested queue (those in the window)
    const track = page.getByTestId('track-line7');
    await expect
      .poll(async () => {
        const bars = await track.locator('[data-lot]').evaluateAll((items) =>
          items.map((el) => ({ lot: el.getAttribute('data-lot'), position: Number(el.getAttribute('data-position')) })).sort((a, b) => a.position - b.position).map((b) => b.lot),
        );
        return bars.length > 0 && bars.every((lot, index) => lot === suggestedLine7[index]) ? 'suggested order' : bars.join(',');
      }, { timeout: 15_000 })
      .toBe('suggested order');
    // one audit entry, by the planner
    const trail = await e2e.api<{ action: string; actor: string }[]>('/api/audit?entity=schedule&limit=5');
    expect(trail.body
      .filter((e) => e.action === 'accept-suggestion').map((e) => e.actor)).toEqual([planner.username]);
  });
  it('a planner pins a job from its panel: the bar carries the pin flag, and suggestions keep it on its machine', async () => {
    const created = await e2e.api('/api/work-orders', { method: 'POST', body: { lot: 'PIN1', product: 'flu-ab', quantity: 20_000, due: new Date(Date.now() + 2 * DAY).toISOString() } });
    expect(created.status).toBe(201);
    expect((await e2e.api('/api/work-orders/PIN1/operations/0/load', { method: 'POST', body: { machine: 'line8', mode: 'append' } })).status).toBe(200);
    const planner = await e2e.createUser('planner', { displayName: 'Pia Planner' });
    const page = await e2e.newPage({ width: 1600, height: 1000 }, { session: await e2e.signInApi(planner) });
    await page.goto('/board?group=pouching-itrak&zoom=week');
    const bar = page.getByTestId('track-line8').getByTestId('bar-PIN1-0');
    await expectVisible(bar);
    expect(await bar.getAttribute('data-pinned')).toBeNull();
    await bar.click();
    await expectVisible(page.getByTestId('wo-panel'));
    await page.getByTestId('action-pin').click();
    await expectVisible(page.getByTestId('action-unpin'));
    await page.keyboard.press('Escape');
    await expect.poll(() => bar.getAttribute('data-pinned'), { timeout: 5_000 }).toBe('true');
    mkdirSync(screenshotDir, { recursive: true });
    await page.getByTestId('track-line8').screenshot({ path: join(screenshotDir, 'board-pinned.png') });
    const suggestion = await e2e.api<Suggestion>('/api/schedule/suggestions', { method: 'POST', body: { timeLimitSeconds: 1, iterations: 500 } });
    expect(suggestion.status).toBe(200);
    expect((suggestion.body.queues.line8 ?? []).map((entry) => entry.lot)).toContain('PIN1');
  });
});
