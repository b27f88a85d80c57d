// Analytics journeys on real camera data: a day-file of Line 8 uploaded through the page, the
// dashboard for 11 Oct 2022 showing the API's figures (gauges, stop classes), the .xlsx export read
// back, stop reasons feeding the Pareto, several machines side by side, a warning when a profile
// gives impossible figures, and the machines page following new production live. Screenshots of
// analytics and machines at 1920×1080 and 1280×800 go to test-results/screenshots/.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import type { OeeResponse, StopsResponse } from '../src/features/oee/schemas.js';
import { formatCount, formatDuration, formatPercent } from '../web/src/pages/analytics/format.js';
import { expectHidden, expectText, expectVisible, repoRoot, screenshotDir, useE2E } from './harness.js';

const e2e = useE2E();
const TV = { width: 1920, height: 1080 };
const LAPTOP = { width: 1280, height: 800 };
/** the real sensor logs, outside the project (never copied into it) */
const sensors = join(repoRoot, '../shared/data/sensors');
const LINE8_DAY = join(sensors, 'Line8/PR20221011.txt');
const LINE7_DAY = join(sensors, 'Line7/PR20221011.txt');
const DAY_FROM = '2022-10-11T00:00';
const DAY_TO = '2022-10-12T00:00';
const DAY_VIEW = `/analytics?machines=line8&window=custom&from=${DAY_FROM}&to=${DAY_TO}`;

interface TreeNode { id: string; label: string; category?: string; children?: TreeNode[] }
const treeLeaves = (nodes: TreeNode[], above: string[] = []): (TreeNode & { path: string })[] =>
  nodes.flatMap((n) => (n.children?.length ? treeLeaves(n.children, [...above, n.label]) : [{ ...n, path: [...above, n.label].join(' › ') }]));
/** the path of the reason the stop-reason journey records (the viewer journey reads it back) */
let recordedReason = '';

async function oeeOf(machines: string, extra = ''): Promise<OeeResponse> {
  const answer = await e2e.api<OeeResponse>(`/api/oee?machine=${machines}&from=${DAY_FROM}&to=${DAY_TO}${extra}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

/** Lines in a file that hold a row (the camera ends files with a newline). */
function rowCount(path: string): number {
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '').length;
}

async function shoot(page: Page, name: string): Promise<void> {
  const { width, height } = page.viewportSize() ?? { width: 0, height: 0 };
  // charts animate in; toasts slide
  await page.waitForTimeout(600);
  await page.screenshot({ path: join(screenshotDir, `${name}-${width}x${height}.png`) });
  await page.screenshot({ path: join(screenshotDir, `${name}-${width}x${height}-full.png`), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name} at ${width}×${height} scrolls sideways`).toBeLessThanOrEqual(0);
  const small = await page.evaluate(() => {
    const found: string[] = [];
    for (const element of document.querySelectorAll<HTMLElement>('button, a, input:not([type=checkbox]):not([type=radio]), select')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.height < 43.5) found.push(`${element.tagName.toLowerCase()} "${(element.innerText || element.getAttribute('aria-label') || element.getAttribute('data-testid') || '').trim().slice(0, 30)}" ${Math.round(box.height)} px`);
    }
    return found;
  });
  expect(small, `${name} at ${width}×${height} has controls under 44 px`).toEqual([]);
}

/** Picks exactly these machines in the picker. */
async function pickMachines(page: Page, keys: string[]): Promise<void> {
  await page.getByTestId('machine-picker').click();
  await expectVisible(page.getByTestId('machine-picker-panel'));
  for (const option of await page.locator('[data-testid^="machine-option-"]').all()) {
    const key = (await option.getAttribute('data-testid'))?.replace('machine-option-', '') ?? '';
    if ((await option.isChecked()) !== keys.includes(key)) await option.click();
  }
  await page.getByTestId('machine-picker-done').click();
  await expectHidden(page.getByTestId('machine-picker-panel'));
}

async function showCustomDay(page: Page): Promise<void> {
  await page.getByTestId('window-custom').click();
  await page.getByTestId('window-from').fill(DAY_FROM);
  await page.getByTestId('window-to').fill(DAY_TO);
  await page.getByTestId('window-apply').click();
  await page.waitForURL(/window=custom/);
}

describe('analytics', () => {
  mkdirSync(screenshotDir, { recursive: true });

  it('imports a real Line 8 day through the page and shows the API figures for 11 Oct 2022, then exports them', async () => {
    const page = await e2e.newPage(TV);
    await page.goto('/analytics');
    await expectVisible(page.getByTestId('analytics-controls'));

    // upload: pick the machine, give the file to the page's file input, watch it go through
    await page.getByTestId('upload-toggle').click();
    await page.getByTestId('upload-machine').selectOption('line8');
    await page.getByTestId('upload-input').setInputFiles(LINE8_DAY);
    const fileName = 'PR20221011.txt';
    await expectText(page.getByTestId(`upload-status-${fileName}`), /^Imported/, 30_000);
    const imported = Number((await page.getByTestId(`upload-cycles-${fileName}`).innerText()).replace(/,/g, ''));
    // every row of this day-file is a valid cycle
    expect(imported).toBe(rowCount(LINE8_DAY));
    await page.getByTestId('upload-close').click();

    // the window for that day, through the controls; the view is in the URL
    await pickMachines(page, ['line8']);
    await showCustomDay(page);
    const url = new URL(page.url());
    expect(url.searchParams.get('machines')).toBe('line8');
    expect(url.searchParams.get('from')).toBe(DAY_FROM);
    expect(url.searchParams.get('to')).toBe(DAY_TO);

    const api = await oeeOf('line8', '&groupBy=hour');
    const totals = api.machines[0].totals;
    expect(totals.cycles).toBe(imported);
    expect(totals.oee).not.toBeNull();
    await expectText(page.getByTestId('kpi-oee-value'), formatPercent(totals.oee));
    await expectText(page.getByTestId('kpi-availability-value'), formatPercent(totals.availability));
    await expectText(page.getByTestId('kpi-performance-value'), formatPercent(totals.performance));
    await expectText(page.getByTestId('kpi-quality-value'), formatPercent(totals.quality));
    await expectText(page.getByTestId('kpi-oee-target'), '65.0 %');
    await expectText(page.getByTestId('fact-parts'), formatCount(totals.parts));
    await expectText(page.getByTestId('fact-mtbf'), formatDuration(totals.mtbfSeconds));

    // the stop pie and its legend: one row per duration class, the API's counts
    await expectVisible(page.getByTestId('chart-stop-pie').locator('canvas'));
    await expectText(page.getByTestId('stop-total-count'), formatCount(totals.stops.count));
    await expectText(page.getByTestId('stop-total-time'), formatDuration(totals.stops.seconds));
    expect(totals.stops.classes.length).toBeGreaterThan(1);
    for (const [index, stopClass] of totals.stops.classes.entries()) {
      await expectText(page.getByTestId(`stop-class-${index}-count`), formatCount(stopClass.count));
    }
    // the other charts drew something
    for (const chart of ['chart-production', 'chart-rate-strip', 'chart-pareto']) await expectVisible(page.getByTestId(chart).locator('canvas'));

    // export: a real download, read back with ExcelJS
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
    expect(download.suggestedFilename()).toMatch(/^line8-.*\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await download.path());
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['stats', 'stops', 'productivity']);

    const stats = workbook.getWorksheet('stats');
    if (!stats) throw new Error('no stats sheet');
    const statRow = (label: string) => {
      let found: ExcelJS.Row | undefined;
      stats.eachRow((row) => {
        if (row.getCell(1).value === label) found = row;
      });
      if (!found) throw new Error(`stats sheet has no "${label}" row`);
      return found;
    };
    expect(stats.getRow(1).getCell(2).value).toBe('Line 8');
    expect(statRow('Machine key').getCell(2).value).toBe('line8');
    expect(statRow('Cycles').getCell(2).value).toBe(totals.cycles);
    expect(statRow('Parts').getCell(2).value).toBe(totals.parts);
    expect(statRow('OEE').getCell(2).value).toBe(totals.oee);
    expect(statRow('OEE').getCell(2).numFmt).toBe('0.0%');
    expect(statRow('Stops').getCell(2).value).toBe(totals.stops.count);

    const stopsApi = await e2e.api<StopsResponse>(`/api/stops?machine=line8&from=${DAY_FROM}&to=${DAY_TO}&minSeconds=60`);
    const stopsSheet = workbook.getWorksheet('stops');
    if (!stopsSheet) throw new Error('no stops sheet');
    expect(stopsSheet.getRow(1).values).toEqual([undefined, 'Machine', 'Start', 'End', 'Seconds', 'Minutes', 'Minutes in window', 'Class', 'Reason', 'Comment']);
    const firstStop = stopsApi.body.stops[0];
    // a real Excel date showing the plant's wall clock (Excel dates have no zone), with seconds
    const startCell = stopsSheet.getRow(2).getCell(2);
    expect(startCell.type).toBe(ExcelJS.ValueType.Date);
    expect(startCell.numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect((startCell.value as Date).toISOString().slice(0, 19)).toBe(DateTime.fromMillis(firstStop.startMs, { zone: e2e.config.QMFG_TZ }).toFormat("yyyy-LL-dd'T'HH:mm:ss"));
    expect(stopsSheet.getRow(2).getCell(4).value).toBe(firstStop.seconds);
    let stopRows = 0;
    stopsSheet.eachRow((row, number) => {
      if (number > 1 && row.getCell(1).value === 'line8') stopRows++;
    });
    expect(stopRows).toBe(stopsApi.body.stops.length);

    const productivity = workbook.getWorksheet('productivity');
    if (!productivity) throw new Error('no productivity sheet');
    // 24 hourly rows for the day (the auto bucket of a one-day window)
    expect(productivity.rowCount).toBe(1 + api.machines[0].series.length);
    const busiest = api.machines[0].series.reduce((best, bucket) => (bucket.parts > best.parts ? bucket : best));
    const busiestRow = api.machines[0].series.indexOf(busiest) + 2;
    // columns: Machine, From, To, Cycles, Parts, …
    expect(productivity.getRow(1).getCell(5).value).toBe('Parts');
    expect(productivity.getRow(busiestRow).getCell(5).value).toBe(busiest.parts);
    expect(productivity.getRow(2).getCell(2).type).toBe(ExcelJS.ValueType.Date);
    expect((productivity.getRow(2).getCell(2).value as Date).toISOString()).toBe('2022-10-11T00:00:00.000Z');

    // every table has its CSV: the shift table's numbers are the API's shift series, unformatted
    const shifts = (await oeeOf('line8', '&groupBy=shift')).machines[0].series.filter((bucket) => bucket.cycles > 0 || bucket.loadingSeconds > 0);
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('table-shifts-csv').click()]);
    expect(csvDownload.suggestedFilename()).toMatch(/-shifts\.csv$/);
    const csvLines = readFileSync(await csvDownload.path(), 'utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(csvLines[0]).toBe('Shift,Parts,Stops,Stop time,A,P,Q,OEE');
    expect(csvLines.length).toBe(1 + shifts.length);
    expect(csvLines[1].split(',').slice(1)).toEqual(
      [shifts[0].parts, shifts[0].stops.count, shifts[0].stops.seconds, shifts[0].availability, shifts[0].performance, shifts[0].quality, shifts[0].oee].map(String),
    );
  });

  it('a window that cuts a stop shows its in-window minutes in the stops table, and says it continues', async () => {
    // the 31.5-min stop 10:29:24 → 11:00:56 of 11 Oct; the window 09:45–10:45 holds its first 15.6 min
    const from = '2022-10-11T09:45';
    const to = '2022-10-11T10:45';
    const answer = await e2e.api<StopsResponse>(`/api/stops?machine=line8&from=${from}&to=${to}&minSeconds=60`);
    expect(answer.status).toBe(200);
    const cut = answer.body.stops.find((stop) => stop.endsAfterWindow);
    if (!cut) throw new Error('no stop continues after 10:45');
    expect(cut.seconds).toBeGreaterThan(1890);
    expect(cut.countedSeconds).toBeCloseTo((DateTime.fromISO(to, { zone: e2e.config.QMFG_TZ }).toMillis() - cut.startMs) / 1000, 3);
    const page = await e2e.newPage(TV);
    await page.goto(`/analytics?machines=line8&window=custom&from=${from}&to=${to}`);
    const row = page.getByTestId(`stop-row-${cut.startMs}`);
    await expectText(row.getByTestId('stop-duration'), formatDuration(cut.countedSeconds));
    await expectText(row.getByTestId('stop-duration'), `of ${formatDuration(cut.seconds)} · continues after the window`);
    // the stop time of the window is the counted part, not the whole stop
    const { totals } = (await e2e.api<OeeResponse>(`/api/oee?machine=line8&from=${from}&to=${to}`)).body.machines[0];
    expect(totals.stops.classes[3].seconds).toBeCloseTo(cut.countedSeconds, 3);
  });

  it('rate chart: each dip sits on the stop that caused it; second by second with a rolling window; empty states', async () => {
    type Option = { series: { name: string; step?: string; data: [number, number | null][]; markArea?: { data: [{ xAxis: number }, { xAxis: number }][] } }[] };
    const optionOf = (page: Page, testId: string) =>
      page.evaluate((id) => {
        const box = document.querySelector(`[data-testid="${id}"]`) as (HTMLElement & { qmfgChart?: { getOption(): unknown } }) | null;
        return JSON.parse(JSON.stringify(box?.qmfgChart?.getOption() ?? null)) as unknown;
      }, testId) as Promise<Option | null>;
    const pixelOf = (page: Page, testId: string, at: number) =>
      page.evaluate(([id, x]) => {
        const box = document.querySelector(`[data-testid="${id}"]`) as (HTMLElement & { qmfgChart?: { convertToPixel(finder: unknown, value: unknown): number } }) | null;
        return box?.qmfgChart?.convertToPixel({ xAxisIndex: 0 }, x) ?? NaN;
      }, [testId, at] as const);
    const zone = e2e.config.QMFG_TZ;
    const local = (iso: string) => DateTime.fromISO(iso, { zone }).toMillis();

    const page = await e2e.newPage(TV);
    await page.goto(DAY_VIEW);
    await expectVisible(page.getByTestId('chart-rate-strip').locator('canvas'));
    const hourly = await optionOf(page, 'chart-rate-strip');
    const effective = hourly?.series.find((s) => s.name === 'Effective rate');
    if (!hourly || !effective) throw new Error('no rate strip option');
    // a bucket's value is drawn over [bucket start, bucket end): the step comes at the end
    expect(effective.step).toBe('end');
    const stops = hourly.series[0].markArea?.data ?? [];
    // the long stops inside the day's run (other data of the demo machine may add stops outside it)
    const runStart = local('2022-10-11T06:00');
    const runEnd = local('2022-10-11T23:00');
    const longStops = stops.filter(([start, end]) => end.xAxis - start.xAxis > 30 * 60_000 && start.xAxis >= runStart && end.xAxis <= runEnd);
    const starts = longStops.map(([start]) => DateTime.fromMillis(start.xAxis, { zone }).toFormat('HH:mm:ss'));
    expect(starts, JSON.stringify(stops.filter(([a, b]) => b.xAxis - a.xAxis > 30 * 60_000).map(([a, b]) => [new Date(a.xAxis).toISOString(), new Date(b.xAxis).toISOString()]))).toEqual(['10:29:24', '18:59:55']);
    const rates = effective.data.map(([, rate]) => rate ?? 0).filter((rate) => rate > 0).sort((a, b) => a - b);
    const median = rates[Math.floor(rates.length / 2)];
    for (const [start, end] of longStops) {
      const middle = (start.xAxis + end.xAxis) / 2;
      // the segment drawn under the middle of the stop is [data[i], data[i+1]) with data[i]'s value
      const i = effective.data.findIndex(([at], index) => at <= middle && middle < effective.data[index + 1]?.[0]);
      expect(effective.data[i][1] ?? 0, `rate drawn under the stop at ${new Date(start.xAxis).toISOString()}`).toBeLessThan(0.75 * median);
      // and on screen: the dip's segment spans the stop's x
      const [left, right, stopX] = await Promise.all([pixelOf(page, 'chart-rate-strip', effective.data[i][0]), pixelOf(page, 'chart-rate-strip', effective.data[i + 1][0]), pixelOf(page, 'chart-rate-strip', middle)]);
      expect(stopX).toBeGreaterThanOrEqual(left);
      expect(stopX).toBeLessThanOrEqual(right);
    }

    // a shift: second by second, smoothed over 15 s, against the standard rate, over the stop strip
    await page.goto(`/analytics?machines=line8&window=custom&from=2022-10-11T06:30&to=2022-10-11T14:45`);
    await page.getByTestId('rate-fine').click();
    await expectVisible(page.getByTestId('chart-fine-rate').locator('canvas'), 20_000);
    await expectVisible(page.getByTestId('chart-cumulative').locator('canvas'));
    const rateSeries = async () => (await optionOf(page, 'chart-fine-rate'))?.series ?? [];
    expect((await rateSeries())[0].name).toBe('Rate (rolling 15 s)');
    const strip = (await rateSeries())[1].markArea?.data ?? [];
    const stop = strip.find(([start]) => start.xAxis === local('2022-10-11T10:29:24.000') || Math.abs(start.xAxis - local('2022-10-11T10:29:24')) < 1000);
    if (!stop) throw new Error('the 10:29 stop is not on the strip');
    await shoot(page, 'analytics-fine-rate');
    await page.setViewportSize({ width: 1024, height: 768 });
    await shoot(page, 'analytics-fine-rate');
    await page.setViewportSize(TV);

    await page.getByTestId('rolling-2').click();
    await expect.poll(async () => (await rateSeries())[0]?.name, { timeout: 10_000 }).toBe('Rate (rolling 2 s)');
    const fine = (await rateSeries())[0].data;
    const [stopStart, stopEnd] = [stop[0].xAxis, stop[1].xAxis];
    // during the stop (beyond half a window from its ends) the rate is 0, and just before it the line ran
    const inside = fine.filter(([at]) => at > stopStart + 1000 && at < stopEnd - 1000);
    expect(inside.length).toBeGreaterThan(25 * 60);
    expect(inside.every(([, rate]) => rate === 0)).toBe(true);
    const before = fine.filter(([at]) => at > stopStart - 10 * 60_000 && at < stopStart - 1000);
    expect(before.some(([, rate]) => (rate ?? 0) > 60)).toBe(true);
    // the same instant on both axes: the stop's start on the strip is where the rate falls to 0
    const firstZero = fine.find(([at, rate]) => at > stopStart - 60_000 && rate === 0)?.[0] ?? NaN;
    expect(Math.abs(firstZero - stopStart)).toBeLessThanOrEqual(2000);

    // a machine without data: one plain state, no 0 %, a stop pie that says there are no stops
    await page.goto(`/analytics?machines=line6&window=custom&from=${DAY_FROM}&to=${DAY_TO}`);
    await expectText(page.getByTestId('no-production'), 'No production in this window');
    expect(await page.getByTestId('kpi-oee-value').count()).toBe(0);
    await expectText(page.getByTestId('chart-stop-pie-empty'), 'No stops in this window');
    await expectText(page.getByTestId('chart-production-empty'), 'No production in this window');
    await shoot(page, 'analytics-no-production');
    await page.setViewportSize({ width: 1024, height: 768 });
    await shoot(page, 'analytics-no-production');
  });

  it('lists the lines a file refused, with their numbers, and keeps the good rows', async () => {
    const page = await e2e.newPage(TV);
    await page.goto('/analytics?machines=line10&window=today');
    await page.getByTestId('upload-toggle').click();
    await page.getByTestId('upload-machine').selectOption('line10');
    const rows = [
      '1175000,170001,000101,1,10/14/22 08:00:00.100',
      '1175000,170001,000102,1',
      '1175000,170001,000103,1,13/45/22 08:00:01.000',
      '1175000,170001,000104,1,10/14/22 08:00:01.400',
    ];
    await page.getByTestId('upload-input').setInputFiles({ name: 'PR20221014.txt', mimeType: 'text/plain', buffer: Buffer.from(`${rows.join('\n')}\n`) });
    await expectText(page.getByTestId('upload-status-PR20221014.txt'), 'Imported with errors', 30_000);
    const result = page.getByTestId('upload-result-PR20221014.txt');
    await expectText(result, '2 cycles imported · 2 lines refused');
    await expectText(result, 'line 2:');
    await expectText(result, 'line 3:');
    const errors = await e2e.api<{ line: number; file: string }[]>('/api/ingest/errors?machine=line10');
    expect(errors.status).toBe(200);
    expect(errors.body.filter((error) => error.file === 'PR20221014.txt').map((error) => error.line).sort()).toEqual([2, 3]);
  });

  it('resolves every window preset in plant time and shows the server\'s figures for it', async () => {
    const zone = e2e.config.QMFG_TZ;
    const page = await e2e.newPage(TV);
    await page.goto('/analytics?machines=line7&window=today');
    await expectVisible(page.getByTestId('analytics-controls'));
    for (const preset of ['shift', 'today', 'week', 'last7', 'month', 'yesterday']) {
      await page.getByTestId(`window-${preset}`).click();
      await page.waitForURL(new RegExp(`window=${preset}`));
      await expectText(page.getByTestId('window-label'), /\w/);
      expect(await page.getByTestId('load-error').count()).toBe(0);
    }
    // yesterday is a whole plant-local day: the gauges show what the API says for it
    const today = DateTime.now().setZone(zone).startOf('day');
    const from = today.minus({ days: 1 });
    await expectText(page.getByTestId('window-label'), from.toFormat('ccc d LLL yyyy'));
    const api = await e2e.api<OeeResponse>(`/api/oee?machine=line7&from=${from.toMillis()}&to=${today.toMillis()}`);
    await expectText(page.getByTestId('kpi-oee-value'), formatPercent(api.body.machines[0].totals.oee));
    await expectText(page.getByTestId('fact-parts'), formatCount(api.body.machines[0].totals.parts));
    // buckets by shift on request
    await page.getByTestId('group-by-select').selectOption('shift');
    await page.waitForURL(/by=shift/);
    await expectText(page.getByTestId('chart-production').locator('..').locator('..'), 'Good parts per shift');
  });

  it('records a stop reason from the stops table; the Pareto and the API have it', async () => {
    const page = await e2e.newPage(TV);
    await page.goto(DAY_VIEW);
    await expectVisible(page.getByTestId('table-stops'));
    const stops = await e2e.api<StopsResponse>(`/api/stops?machine=line8&from=${DAY_FROM}&to=${DAY_TO}&minSeconds=60`);
    const longest = stops.body.stops.reduce((best, stop) => (stop.seconds > best.seconds ? stop : best));
    // reasons are leaves of the machine's process-group tree, picked by their path
    const group = (await e2e.api<{ group: string }>('/api/machines/line8')).body.group;
    const tree = (await e2e.api<{ tree: { nodes: TreeNode[] } }>(`/api/reason-trees/${group}`)).body.tree;
    const reason = treeLeaves(tree.nodes).find((leaf) => leaf.category === 'setup')!;
    recordedReason = reason.path;
    const picker = page.getByTestId(`stop-reason-${longest.startMs}`);
    await page.waitForFunction((id) => ((document.querySelector(`[data-testid="stop-reason-${id}"]`) as HTMLSelectElement | null)?.options.length ?? 0) > 1, longest.startMs);
    await picker.selectOption({ label: reason.path });
    await page.getByTestId(`stop-comment-${longest.startMs}`).fill('roll ran out, spliced');
    await page.getByTestId(`stop-save-${longest.startMs}`).click();
    await expectText(page.getByTestId('toast-success'), 'Reason saved');
    const after = await e2e.api<StopsResponse>(`/api/stops?machine=line8&from=${DAY_FROM}&to=${DAY_TO}&minSeconds=60`);
    const saved = after.body.stops.find((stop) => stop.startMs === longest.startMs);
    expect(saved).toMatchObject({ reason: reason.id, label: reason.path, comment: 'roll ran out, spliced' });
    // the Pareto now has that reason (the chart's label lists the reasons, largest first)
    const label = async () => (await page.getByTestId('chart-pareto').getAttribute('aria-label')) ?? '';
    const deadline = Date.now() + 5000;
    while (!(await label()).includes(reason.path) && Date.now() < deadline) await page.waitForTimeout(50);
    expect(await label()).toContain(`${reason.path} `);
  });

  it('shows a viewer the figures and the reasons, but no upload and no reason editing', async () => {
    const viewer = await e2e.createUser('viewer');
    const page = await e2e.newPage(TV, { session: await e2e.signInApi(viewer) });
    await page.goto(DAY_VIEW);
    await expectVisible(page.getByTestId('kpi-oee-value'));
    await expectVisible(page.getByTestId('table-stops'));
    expect(await page.getByTestId('upload-toggle').count()).toBe(0);
    expect(await page.locator('[data-testid^="stop-reason-"]').count()).toBe(0);
    // the reason recorded in the journey before, read-only
    await expectText(page.getByTestId('table-stops'), `${recordedReason} — roll ran out, spliced`);
    await expectVisible(page.getByTestId('export-xlsx'));
  });

  it('compares machines side by side and switches the detail between them', async () => {
    const page = await e2e.newPage(TV);
    await page.goto(DAY_VIEW);
    await expectVisible(page.getByTestId('kpi-oee-value'));
    // a second real day-file, for Line 7, dropped in through the same panel
    await page.getByTestId('upload-toggle').click();
    await page.getByTestId('upload-machine').selectOption('line7');
    await page.getByTestId('upload-input').setInputFiles(LINE7_DAY);
    await expectText(page.getByTestId('upload-status-PR20221011.txt'), /^Imported/, 30_000);
    await page.getByTestId('upload-close').click();

    await pickMachines(page, ['line7', 'line8']);
    await page.waitForURL(/machines=line7%2Cline8|machines=line7,line8/);
    const api = await oeeOf('line7,line8');
    const table = page.getByTestId('table-comparison');
    await expectVisible(table);
    expect(await table.locator('tbody tr').count()).toBe(2);
    for (const [index, machine] of api.machines.entries()) {
      const row = table.locator('tbody tr').nth(index);
      await expectText(row, machine.machine === 'line7' ? 'Line 7' : 'Line 8');
      await expectText(row, formatPercent(machine.totals.oee));
      await expectText(row, formatCount(machine.totals.parts));
    }
    await expectVisible(page.getByTestId('chart-comparison').locator('canvas'));

    // the details follow the chosen machine
    await expectText(page.getByTestId('focus-title'), 'Line 7');
    await expectText(page.getByTestId('kpi-oee-value'), formatPercent(api.machines[0].totals.oee));
    await page.getByTestId('focus-line8').click();
    await expectText(page.getByTestId('focus-title'), 'Line 8');
    await expectText(page.getByTestId('kpi-oee-value'), formatPercent(api.machines[1].totals.oee));
    expect(new URL(page.url()).searchParams.get('focus')).toBe('line8');

    // the lot table lists both machines' lots of the day
    const lots = page.getByTestId('table-lots');
    await expectText(lots, '159070');
  });

  it('warns when a profile gives figures outside 0–100 %', async () => {
    const created = await e2e.api('/api/oee/profiles', {
      method: 'POST',
      body: { name: 'too-low-ideal', maxCycleSeconds: 1.1, stopBinsSeconds: [1.1, 12, 60, 300], availabilityLossSeconds: 60, basis: 'firstToLastPart', idealRatePerMinute: 30 },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const page = await e2e.newPage(TV);
    await page.goto(DAY_VIEW);
    await expectVisible(page.getByTestId('kpi-oee-value'));
    await expectHidden(page.getByTestId('oee-warnings'));
    await page.getByTestId('profile-select').selectOption('too-low-ideal');
    const api = await oeeOf('line8', '&profile=too-low-ideal');
    expect(api.machines[0].totals.performance ?? 0).toBeGreaterThan(1);
    // shown capped at 100 % with the plain reason (core shownFigures), never as 112.8 %
    await expectText(page.getByTestId('oee-warnings'), "Runs faster than its standard rate — check the product's rate.");
    await expectText(page.getByTestId('kpi-performance-value'), '100.0 %');
    expect(parseFloat((await page.getByTestId('kpi-oee-value').innerText()).replace(/[^\d.]/g, ''))).toBeLessThanOrEqual(100);
    await expectText(page.getByTestId('window-label'), 'too-low-ideal');
    expect(await page.getByTestId('profile-name').getAttribute('title')).toBe('OEE profile too-low-ideal@v1');
  });

  it('keeps the figures on screen while another window loads, and comes back to a seen one at once', async () => {
    const page = await e2e.newPage(TV);
    await page.goto(DAY_VIEW);
    const shown = await expectText(page.getByTestId('kpi-oee-value'), /%/);
    await page.getByTestId('window-yesterday').click();
    // straight after the click the old figures are still there (dimmed), not a blank page
    expect(await page.getByTestId('kpi-oee-value').count()).toBe(1);
    await page.waitForURL(/window=yesterday/);
    await expectText(page.getByTestId('window-label'), /^\w{3} \d+ \w{3} \d{4}/);
    await page.goBack();
    await page.waitForURL(/window=custom/);
    await expectText(page.getByTestId('kpi-oee-value'), shown, 1000);
  });
});

describe('machines page', () => {
  it('shows each machine live: running or stopped, lot and product, OEE today — and follows new production without a reload', async () => {
    const zone = e2e.config.QMFG_TZ;
    const page = await e2e.newPage(TV);
    await page.goto('/machines');
    await expectVisible(page.getByTestId('machine-live-line9'));
    const now = Date.now();
    const today = DateTime.fromMillis(now, { zone }).startOf('day');
    // the card's window is the Analytics "Today" window: up to the current minute
    const oee = await e2e.api<OeeResponse>(`/api/oee?machine=line9&from=${today.toMillis()}&to=${Math.floor(now / 60_000) * 60_000}`);
    expect(oee.status).toBe(200);
    const before = oee.body.machines[0].totals;
    await expectText(page.getByTestId('machine-oee-line9'), before.oee !== null ? formatPercent(before.oee) : before.cycles > 0 ? 'Not measurable yet' : 'No production yet today');
    let documents = 0;
    const oeeRequests: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'document') documents++;
      const url = new URL(request.url());
      if (url.pathname === '/api/oee' && (url.searchParams.get('machine') ?? '').split(',').includes('line9')) oeeRequests.push(url.pathname + url.search);
    });

    // a camera file with the last minute of production of a new lot on Line 9, uploaded by someone
    // else in another browser: this page must follow through the 'production' event
    const lines: string[] = [];
    const cycles = 120;
    for (let i = 0; i < cycles; i++) {
      // ending in the minute before this one, which the "Today" window holds
      const at = DateTime.fromMillis(Math.floor(now / 60_000) * 60_000 - 1_000 - (cycles - 1 - i) * 450, { zone });
      lines.push(`1169100,424242,${String(500000 + i)},1,${at.toFormat('LL/dd/yy HH:mm:ss.SSS')}`);
    }
    const other = await e2e.newPage(LAPTOP);
    await other.goto('/analytics?machines=line9&window=today');
    await other.getByTestId('upload-toggle').click();
    await other.getByTestId('upload-machine').selectOption('line9');
    await other.getByTestId('upload-input').setInputFiles({ name: 'PRLIVE.txt', mimeType: 'text/plain', buffer: Buffer.from(`${lines.join('\n')}\n`) });
    await expectText(other.getByTestId('upload-cycles-PRLIVE.txt'), String(cycles), 30_000);

    await expectText(page.getByTestId('machine-state-line9'), 'Running');
    await expectText(page.getByTestId('machine-lot-line9'), '424242');
    await expectText(page.getByTestId('machine-product-line9'), 'Flu A/B');
    const after = await e2e.api<OeeResponse>(`/api/oee?machine=line9&from=${today.toMillis()}&to=${Math.floor(Date.now() / 60_000) * 60_000}`);
    expect(after.body.machines[0].totals.parts).toBe(before.parts + cycles);
    // the card shows what the OEE API answers for the window the page itself last asked (its "to" is
    // the minute it asked in: a minute that ended since would give another figure)
    await expect
      .poll(
        async () => {
          const asked = oeeRequests.at(-1);
          if (!asked) return 'no OEE request seen';
          const answer = await e2e.api<OeeResponse>(asked);
          const line9 = answer.body.machines.find((m) => m.machine === 'line9');
          const shown = await page.getByTestId('machine-oee-line9').innerText();
          return line9 && line9.totals.parts === before.parts + cycles && shown.includes(formatPercent(line9.totals.oee)) ? 'same' : `page ${shown}, API ${line9 ? formatPercent(line9.totals.oee) : '—'}`;
        },
        { timeout: 10_000 },
      )
      .toBe('same');
    expect(documents).toBe(0);
  });
});

describe('machine cards and analytics: one rule', () => {
  it('a card shows the analytics figure for the same machine and day, capped at 100 % with the same warning', async () => {
    const zone = e2e.config.QMFG_TZ;
    // ten minutes of Line 11 at 200 parts/min (its profile's ideal is 140/min), ending two minutes ago
    const end = Date.now() - 120_000;
    const lines: string[] = [];
    for (let at = end - 600_000, serial = 700000; at < end; at += 300, serial++) {
      lines.push(`1169100,434343,${serial},1,${DateTime.fromMillis(at, { zone }).toFormat('LL/dd/yy HH:mm:ss.SSS')}`);
    }
    const uploader = await e2e.newPage(LAPTOP);
    await uploader.goto('/analytics?machines=line11&window=today');
    await uploader.getByTestId('upload-toggle').click();
    await uploader.getByTestId('upload-machine').selectOption('line11');
    await uploader.getByTestId('upload-input').setInputFiles({ name: 'PRFAST.txt', mimeType: 'text/plain', buffer: Buffer.from(`${lines.join('\n')}\n`) });
    await expectText(uploader.getByTestId('upload-cycles-PRFAST.txt'), formatCount(lines.length), 30_000);

    // both windows end at the current minute: read both within one minute
    const second = new Date().getSeconds();
    if (second > 35) await new Promise((resolve) => setTimeout(resolve, (61 - second) * 1000));
    const cards = await e2e.newPage(TV);
    await cards.goto('/machines');
    const card = cards.getByTestId('machine-oee-line11');
    await expectText(card, /%/);
    const analytics = await e2e.newPage(TV);
    await analytics.goto('/analytics?machines=line11&window=today');
    const gauge = await expectText(analytics.getByTestId('kpi-oee-value'), /%/);
    const cardText = (await card.innerText()).replace(/\s+/g, ' ').trim();
    expect(cardText).toBe(gauge);
    expect(parseFloat(cardText)).toBeLessThanOrEqual(100);
    await expectText(cards.getByTestId('machine-performance-line11'), '100.0 %');
    await expectText(analytics.getByTestId('kpi-performance-value'), '100.0 %');
    const warning = "Runs faster than its standard rate — check the product's rate.";
    await expectText(cards.getByTestId('machine-warning-line11'), warning);
    await expectText(analytics.getByTestId('oee-warnings'), warning);
    // the API keeps the measured figure; the screens show it capped
    const measured = (await e2e.api<OeeResponse>('/api/oee?machine=line11&from=' + DateTime.now().setZone(zone).startOf('day').toMillis())).body.machines[0].totals;
    expect(measured.performance ?? 0).toBeGreaterThan(1);
  });
});

describe('screenshots', () => {
  for (const viewport of [TV, LAPTOP]) {
    it(`analytics and machines at ${viewport.width}×${viewport.height}`, async () => {
      const page = await e2e.newPage(viewport);
      await page.goto(DAY_VIEW);
      await expectVisible(page.getByTestId('chart-stop-pie').locator('canvas'));
      await shoot(page, 'analytics');

      await page.goto(`/analytics?machines=line7,line8&window=custom&from=${DAY_FROM}&to=${DAY_TO}`);
      await expectVisible(page.getByTestId('chart-comparison').locator('canvas'));
      await shoot(page, 'analytics-compare');

      await page.getByTestId('upload-toggle').click();
      await page.getByTestId('upload-machine').selectOption('line8');
      await page.getByTestId('upload-input').setInputFiles(LINE8_DAY);
      await expectText(page.getByTestId('upload-status-PR20221011.txt'), 'Already imported', 30_000);
      await shoot(page, 'analytics-upload');
      await page.getByTestId('machine-picker').click();
      await expectVisible(page.getByTestId('machine-picker-panel'));
      await shoot(page, 'analytics-picker');

      await page.goto('/machines');
      await expectVisible(page.getByTestId('machine-live-line7'));
      await shoot(page, 'machines-live');
    });
  }
});
