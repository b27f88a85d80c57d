// Loss analytics and reason trees in the browser (issue 13 items 1 and 4), on the real Line 7 day of
// 13 Oct 2022: a long stop given a planned-downtime reason and a scrap entry (through the API, as an
// operator would), then the Analytics Losses section for the 06:30–14:45 shift — the waterfall shows
// the server's steps with planned downtime taken out, the Pareto has the category and drills down to
// the reason, quality is below 100 %. Then a reason added to the tree in Admin is offered by the
// Analytics stop picker and saved on a stop. Screenshots at 1920×1080 and 1024×768.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { LossesResponse } from '../src/features/oee/loss-schemas.js';
import type { StopsResponse } from '../src/features/oee/schemas.js';
import { formatDuration, formatPercent } from '../web/src/pages/analytics/format.js';
import { expectText, expectVisible, repoRoot, screenshotDir, useE2E } from './harness.js';

const e2e = useE2E();
const TV = { width: 1920, height: 1080 };
const SMALL = { width: 1024, height: 768 };
const LINE7_DAY = join(repoRoot, '../shared/data/sensors/Line7/PR20221013.txt');
const FROM = '2022-10-13T06:30';
const TO = '2022-10-13T14:45';
// the ISO 22400 profile: planned downtime leaves loading time (the calendar basis)
const VIEW = `/analytics?machines=line7&window=custom&from=${FROM}&to=${TO}&profile=iso22400`;

interface Node { id: string; label: string; category?: string; retired?: boolean; children?: Node[] }
const leaves = (nodes: Node[], path: string[] = []): (Node & { path: string })[] =>
  nodes.flatMap((n) => (n.children?.length ? leaves(n.children, [...path, n.label]) : [{ ...n, path: [...path, n.label].join(' › ') }]));

async function shoot(page: Page, name: string): Promise<void> {
  const { width, height } = page.viewportSize() ?? { width: 0, height: 0 };
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(screenshotDir, `${name}-${width}x${height}.png`) });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name} at ${width}×${height} scrolls sideways`).toBeLessThanOrEqual(0);
}

/** The drawn option of the chart in `testId` (the page keeps each instance on its element). */
async function chartSeries(page: Page, testId: string): Promise<{ data: (number | { value: number })[] }[]> {
  return page.getByTestId(testId).evaluate((box) => {
    const chart = (box as HTMLElement & { qmfgChart?: { getOption(): { series: { data: (number | { value: number })[] }[] } } }).qmfgChart;
    return chart ? chart.getOption().series.map((s) => ({ data: s.data })) : [];
  });
}
const valueOf = (item: number | { value: number }) => (typeof item === 'number' ? item : item.value);

describe('losses and reason trees', () => {
  mkdirSync(screenshotDir, { recursive: true });
  const zone = () => e2e.config.QMFG_TZ;

  it('shows the loss waterfall, TEEP and the two-level Pareto of a real shift; a reason added in Admin is offered for stops', async () => {
    // the day's data, as an upload
    await e2e.uploadCameraLog('line7', 'PR20221013.txt', readFileSync(LINE7_DAY));

    const machine = await e2e.api<{ group: string }>('/api/machines/line7');
    const group = machine.body.group;
    const tree = (await e2e.api<{ version: number; tree: { nodes: Node[] } }>(`/api/reason-trees/${group}`)).body;
    const planned = leaves(tree.tree.nodes).find((l) => l.category === 'plannedDowntime' && !l.retired)!;
    const scrapReason = leaves(tree.tree.nodes).find((l) => l.category === 'productionReject' && !l.retired)!;
    expect(planned).toBeDefined();

    // the longest stop inside the shift becomes planned downtime (a meeting, say)
    const stops = (await e2e.api<StopsResponse>(`/api/stops?machine=line7&from=${FROM}&to=${TO}&minSeconds=120&profile=iso22400`)).body.stops;
    const inside = stops.filter((s) => !s.startsBeforeWindow && !s.endsAfterWindow);
    const longest = inside.reduce((best, s) => (s.seconds > best.seconds ? s : best));
    const reasoned = await e2e.api(`/api/stops/line7/${longest.startMs}/reasons`, { method: 'PUT', body: { segments: [{ reason: planned.id, comment: 'team meeting' }] } });
    expect(reasoned.status, JSON.stringify(reasoned.body)).toBe(200);
    // scrap on the shift's lot
    const lots = (await e2e.api<{ lots: { lot: string }[] }>(`/api/production/lots?machine=line7&from=${FROM}&to=${TO}`)).body.lots;
    const shiftStart = DateTime.fromISO(FROM, { zone: zone() }).toMillis();
    const scrap = await e2e.api(`/api/shift-logs/line7/${shiftStart}/scrap`, { method: 'POST', body: { lot: lots[0].lot, reason: scrapReason.id, quantity: 400, rework: 0 } });
    expect(scrap.status, JSON.stringify(scrap.body)).toBe(200);
    // the crew paid for the shift, for labour utilisation
    const crew = await e2e.api(`/api/shift-logs/line7/${shiftStart}/crew`, { method: 'PUT', body: { crew: [{ username: e2e.admin.username, hours: 8.25 }, { person: 'Temp Worker', hours: 4 }] } });
    expect(crew.status, JSON.stringify(crew.body)).toBe(200);

    const losses = (await e2e.api<LossesResponse>(`/api/oee/losses?machine=line7&from=${FROM}&to=${TO}&profile=iso22400`)).body;
    const summary = losses.machines[0];
    const plannedStep = summary.steps.find((s) => s.key === 'planned-downtime')!;
    expect(plannedStep.seconds).toBeGreaterThan(longest.seconds * 0.9);
    expect(summary.quality).toBeLessThan(1);

    const page = await e2e.newPage(TV);
    await page.goto(VIEW);
    await expectVisible(page.getByTestId('chart-waterfall').locator('canvas'), 30_000);
    // the key figures beside the gauges are the loss model's
    await expectText(page.getByTestId('loss-teep'), formatPercent(summary.teep));
    await expectText(page.getByTestId('loss-utilisation'), formatPercent(summary.utilisation));
    await expectText(page.getByTestId('loss-oee'), formatPercent(summary.oee));
    expect(summary.paidCrewHours).toBe(12.25);
    expect(summary.labourUtilisation).toBeGreaterThan(0);
    await expectText(page.getByTestId('loss-labour'), formatPercent(summary.labourUtilisation));
    await expectText(page.getByTestId('loss-figures'), 'of 12.3 paid crew hours producing');
    const quality = await expectText(page.getByTestId('kpi-quality-value'), '%');
    expect(Number(quality.replace(/[^\d.]/g, ''))).toBeLessThan(100);

    // the waterfall: every step of the server, in hours; bases under the floating losses
    const label = (await page.getByTestId('chart-waterfall').getAttribute('aria-label')) ?? '';
    for (const step of summary.steps) expect(label).toContain(step.label);
    expect(label).toContain(`Planned downtime −${(plannedStep.seconds / 3600).toFixed(1)} h`);
    const [base, bars] = await chartSeries(page, 'chart-waterfall');
    expect(bars.data.map(valueOf).map((h) => Math.round(h * 100))).toEqual(summary.steps.map((s) => Math.round((Math.abs(s.seconds) / 3600) * 100)));
    const plannedIndex = summary.steps.indexOf(plannedStep);
    const loadingStep = summary.steps.find((s) => s.key === 'loading')!;
    // planned downtime floats right above loading time
    expect(valueOf(base.data[plannedIndex])).toBeCloseTo(loadingStep.seconds / 3600, 2);

    // the Pareto by category has planned downtime; a click shows its reasons, the breadcrumb goes back
    await expectVisible(page.getByTestId('pareto-row-plannedDowntime'));
    await expectText(page.getByTestId('loss-pareto-table'), 'Planned downtime');
    await expectVisible(page.getByTestId('pareto-row-productionReject'));
    await page.getByTestId('waterfall-card').scrollIntoViewIfNeeded();
    await shoot(page, 'losses-waterfall');
    await page.getByTestId('pareto-open-plannedDowntime').click();
    await expectText(page.getByTestId('pareto-category'), 'Planned downtime');
    await expectText(page.getByTestId('loss-pareto-reasons-table'), planned.path);
    await expectVisible(page.getByTestId('chart-loss-pareto-reasons').locator('canvas'));
    await page.getByTestId('loss-pareto').scrollIntoViewIfNeeded();
    await shoot(page, 'losses-pareto-reasons');
    await page.getByTestId('pareto-back').click();
    await expectVisible(page.getByTestId('chart-loss-pareto').locator('canvas'));
    // the six big losses: the server's hours
    await expectText(page.getByTestId('big-loss-productionReject'), formatDuration(summary.sixBigLosses.productionReject));
    await page.getByTestId('six-big-losses').scrollIntoViewIfNeeded();
    await shoot(page, 'losses-six-big');
    // the stop table shows the stored path, not the id
    await expectText(page.getByTestId(`reason-text-${longest.startMs}`), planned.path);

    // Admin: a new reason under "Unplanned"
    await page.goto('/admin/reason-trees');
    await page.getByTestId('rt-group').selectOption(group);
    const unplanned = tree.tree.nodes.find((n) => n.children?.some((c) => c.category === 'breakdown'))!;
    await page.getByTestId(`rt-node-${unplanned.id}`).click();
    await page.getByTestId('rt-add-child').click();
    await page.getByTestId('rt-add-label').fill('Camera misread');
    await page.getByTestId('rt-add-category').selectOption('breakdown');
    await page.getByTestId('rt-add-confirm').click();
    await expectVisible(page.getByTestId('rt-node-camera-misread'));
    // an empty name is refused at the node by the server's message
    e2e.allowConsoleErrors(/status of 400/);
    await page.getByTestId('rt-label-input').fill('');
    await page.getByTestId('rt-save').click();
    await expectText(page.getByTestId('rt-error-camera-misread'), 'give the reason a name');
    await page.getByTestId('rt-panel').scrollIntoViewIfNeeded();
    await shoot(page, 'reason-trees-error');
    await page.getByTestId('rt-label-input').fill('Camera misread');
    await page.getByTestId('rt-save').click();
    await expectText(page.getByTestId('toast-success'), 'saved as version');
    const savedTree = (await e2e.api<{ version: number; tree: { nodes: Node[] } }>(`/api/reason-trees/${group}`)).body;
    expect(savedTree.version).toBeGreaterThan(tree.version);
    const added = leaves(savedTree.tree.nodes).find((l) => l.id === 'camera-misread');
    expect(added).toMatchObject({ category: 'breakdown', path: `${unplanned.label} › Camera misread` });
    await expectVisible(page.getByTestId(`rt-version-${savedTree.version}`));
    // the saved reason stays selected; retiring it marks it (not saved: the journey needs it offered)
    await page.getByTestId('rt-retire').click();
    await expectVisible(page.getByTestId('rt-restore'));
    await page.getByTestId('rt-node-camera-misread').scrollIntoViewIfNeeded();
    await shoot(page, 'reason-trees');
    await page.setViewportSize(SMALL);
    await page.getByTestId('rt-node-camera-misread').scrollIntoViewIfNeeded();
    await shoot(page, 'reason-trees');
    await page.getByTestId('rt-restore').click();
    expect(await page.getByTestId('rt-save').isDisabled()).toBe(true);
    // someone else saves meanwhile: this save is refused (409) with the reason, and the latest loads
    await page.getByTestId('rt-label-input').fill('Camera misread (vision)');
    const theirs = structuredClone(savedTree.tree);
    theirs.nodes[0].label = `${theirs.nodes[0].label} and setup`;
    expect((await e2e.api(`/api/reason-trees/${group}`, { method: 'PUT', body: { version: savedTree.version, tree: theirs } })).status).toBe(200);
    e2e.allowConsoleErrors(/status of 409/);
    await page.getByTestId('rt-save').click();
    await expectText(page.getByTestId('rt-stale'), 'changed by someone else');
    await page.getByTestId('rt-reload').click();
    await expectText(page.getByTestId('rt-version'), `Version ${savedTree.version + 1}`);
    await expectText(page.getByTestId(`rt-node-${theirs.nodes[0].id}`), `${theirs.nodes[0].label}`);
    await expectText(page.getByTestId('rt-node-camera-misread'), 'Camera misread');

    // Analytics: the picker offers it (by path), not the scrap reasons; saved on another stop
    await page.setViewportSize(TV);
    await page.goto(VIEW);
    const other = inside.filter((s) => s.startMs !== longest.startMs).reduce((best, s) => (s.seconds > best.seconds ? s : best));
    const picker = page.getByTestId(`stop-reason-${other.startMs}`);
    await expectVisible(picker);
    // the tree comes with its own request: wait for its reasons in the picker
    await page.waitForFunction((id) => ((document.querySelector(`[data-testid="stop-reason-${id}"]`) as HTMLSelectElement | null)?.options.length ?? 0) > 1, other.startMs);
    const offered = await picker.locator('option').allInnerTexts();
    expect(offered).toContain(added!.path);
    expect(offered).not.toContain(scrapReason.path);
    await picker.selectOption({ label: added!.path });
    await page.getByTestId(`stop-save-${other.startMs}`).click();
    await expectText(page.getByTestId('toast-success'), 'Reason saved');
    await expectText(page.getByTestId(`reason-text-${other.startMs}`), added!.path);
    const after = (await e2e.api<StopsResponse>(`/api/stops?machine=line7&from=${FROM}&to=${TO}&minSeconds=120&profile=iso22400`)).body.stops;
    expect(after.find((s) => s.startMs === other.startMs)).toMatchObject({ reason: 'camera-misread', category: 'breakdown' });

    await page.setViewportSize(SMALL);
    await page.getByTestId(`stop-row-${other.startMs}`).scrollIntoViewIfNeeded();
    await shoot(page, 'losses-stop-picker');
    await page.getByTestId('waterfall-card').scrollIntoViewIfNeeded();
    await shoot(page, 'losses-waterfall');
  });
});
