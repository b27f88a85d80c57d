// Live screens apply changes in place (issue 12 item 5). The Machines page and the TV view show an
// upload's cycles within a second without asking for their data again (the network is watched:
// no GET of the page's resources between the upload and the change on screen); the board moves a
// bar's progress from a growing drop-folder file before the throttled re-plan; when the stream
// drops, every live screen says "reconnecting", and when it is back the screen fetches again and
// shows what happened meanwhile; the header's bell counts a new alert without a reload.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '../src/features/auth/access.js';
import { expectText, expectVisible, parkDemoLots, useE2E, type ApiSession } from './harness.js';

// the alert engine's timer every second: a rule's first alert shows within seconds
const e2e = useE2E({ env: () => ({ QMFG_ALERT_INTERVAL_SECONDS: '1' }) });
const LAPTOP = { width: 1280, height: 800 };

/** The data a screen loads (besides the stream itself and the bell). */
const PAGE_DATA = /^\/api\/(oee|lots|production\/state|products|calendar|machines|process-groups|tv|schedule|work-orders)(\/|$|\?)/;

/** Uploads cycles through the API, like another user or the drop folder would deliver them. */
async function upload(session: ApiSession, machine: string, lot: string, count: number, serialFrom: number, endAgoMs = 0): Promise<number> {
  const zone = e2e.config.QMFG_TZ;
  const now = Date.now() - endAgoMs;
  const lines = Array.from({ length: count }, (_, i) => `1169100,${lot},${serialFrom + i},1,${DateTime.fromMillis(now - (count - 1 - i) * 400, { zone }).toFormat('MM/dd/yy HH:mm:ss.SSS')}`);
  const form = new FormData();
  form.append('file', new Blob([`${lines.join('\n')}\n`], { type: 'text/plain' }), `PRLIVE${serialFrom}.txt`);
  const response = await fetch(`${e2e.baseUrl}/api/ingest/upload?machine=${machine}`, {
    method: 'POST',
    headers: { cookie: `${SESSION_COOKIE}=${session.sessionId}; ${CSRF_COOKIE}=${session.csrfToken}`, [CSRF_HEADER]: session.csrfToken },
    body: form,
  });
  const body = (await response.json()) as { files: { cycles: number }[] };
  expect(response.status, JSON.stringify(body)).toBe(200);
  expect(body.files[0].cycles).toBe(count);
  return Date.now();
}

/** GETs of page data, with when they were sent. */
function watchRequests(page: Page): { path: string; at: number }[] {
  const seen: { path: string; at: number }[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (request.method() === 'GET' && PAGE_DATA.test(url.pathname)) seen.push({ path: `${url.pathname}${url.search}`, at: Date.now() });
  });
  return seen;
}

/** When the element's text (or `attribute`) first matched (ms since epoch), polled on every animation frame. */
async function whenText(page: Page, testId: string, expected: string, timeoutMs: number, attribute: string | null = null): Promise<number> {
  const handle = await page.waitForFunction(
    ([id, text, name]) => {
      const element = document.querySelector(`[data-testid="${id}"]`);
      const value = name === null ? element?.textContent : element?.getAttribute(name);
      return value?.includes(text) ? Date.now() : false;
    },
    [testId, expected, attribute] as const,
    { timeout: timeoutMs, polling: 'raf' },
  );
  return (await handle.jsonValue()) as number;
}

describe('live screens', () => {
  it('the machines page shows an upload within a second, in place: no request for its data in between', async () => {
    const session = await e2e.signInApi(e2e.admin);
    const page = await e2e.newPage(LAPTOP);
    await page.goto('/machines');
    await expectText(page.getByTestId('machine-state-line11'), 'No data');
    await expectText(page.getByTestId('live-indicator'), 'Live');
    await expectText(page.getByTestId('machine-parts-line11'), '0');
    // what loading the page asked for has been answered
    await page.waitForTimeout(1000);
    const requests = watchRequests(page);

    const sentAt = Date.now();
    const answeredAt = await upload(session, 'line11', '515152', 25, 810000);
    const shownAt = await whenText(page, 'machine-parts-line11', '25', 5000);
    await expectText(page.getByTestId('machine-state-line11'), 'Running', 2000);
    await expectText(page.getByTestId('machine-lot-line11'), '515152');
    console.log(`machines page: upload answered → card shows its 25 parts in ${shownAt - answeredAt} ms (target < 1000 ms)`);
    expect(shownAt - answeredAt).toBeLessThan(1000);
    // the card's figures come from the event, not a fetch; only the OEE figures are fetched again, by
    // design a second after the production that calls for it (OEE_SETTLE_MS) — on a slow run that
    // second can end before the card showed, so that one request does not count
    expect(requests.filter((r) => r.at >= sentAt && r.at <= shownAt && !r.path.startsWith('/api/oee?'))).toEqual([]);
  }, 120_000);

  it('the TV view applies an upload to its tile in place within a second', async () => {
    const session = await e2e.signInApi(e2e.admin);
    await parkDemoLots(e2e, ['line9']);
    expect((await e2e.api('/api/work-orders', { method: 'POST', body: { lot: '778901', product: 'flu-ab', quantity: 1000 } })).status).toBe(201);
    expect((await e2e.api('/api/work-orders/778901/operations/0/load', { method: 'POST', body: { machine: 'line9', mode: 'insert', position: 0 } })).status).toBeLessThan(300);
    await upload(session, 'line9', '778901', 10, 820000);
    const page = await e2e.newPage({ width: 1920, height: 1080 });
    await page.goto('/tv?groups=pouching-itrak');
    await expectVisible(page.getByTestId('tv-tile-line9'));
    await page.waitForFunction(() => document.querySelector('[data-testid="tv-live"]')?.textContent === '', null, { timeout: 10_000 });
    await expectText(page.getByTestId('tv-tile-line9'), '10 / 1');
    await page.waitForTimeout(1000);
    const requests = watchRequests(page);

    const sentAt = Date.now();
    const answeredAt = await upload(session, 'line9', '778901', 240, 830000);
    // 250 of 1000: 25 %
    const shownAt = await whenText(page, 'tv-tile-line9', '25%', 5000);
    console.log(`TV: upload answered → tile shows 25 % in ${shownAt - answeredAt} ms (target < 1000 ms)`);
    expect(shownAt - answeredAt).toBeLessThan(1000);
    // the upload re-planned: 'schedule' may fetch the tiles, but only after the production event showed
    expect(requests.filter((r) => r.at >= sentAt && r.at < shownAt && !r.path.startsWith('/api/tv'))).toEqual([]);
    await expectText(page.getByTestId('tv-tile-line9'), 'Lot 778901');
  }, 120_000);

  it('the board moves a bar\'s progress from live drop-folder data within a second, before the re-plan and without fetching the board', async () => {
    await parkDemoLots(e2e, ['line6']);
    expect((await e2e.api('/api/work-orders', { method: 'POST', body: { lot: '779101', product: 'flu-ab', quantity: 1000 } })).status).toBe(201);
    expect((await e2e.api('/api/work-orders/779101/operations/0/load', { method: 'POST', body: { machine: 'line6', mode: 'insert', position: 0 } })).status).toBeLessThan(300);
    const page = await e2e.newPage({ width: 1920, height: 1080 });
    // a day around now holds the bar at any hour: at night it is planned from the next shift's start
    await page.goto('/board?group=pouching-itrak&zoom=day');
    await expectVisible(page.getByTestId('bar-779101-0'));
    await expectText(page.getByTestId('live-indicator'), 'Live');

    // the camera's day-file of Line 6 lands in the drop folder and grows (plant-local instants)
    const zone = e2e.config.QMFG_TZ;
    const folder = join(e2e.config.QMFG_DROP_DIR, 'line6');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, `PR${DateTime.now().setZone(zone).toFormat('yyyyMMdd')}.txt`);
    const rows = (count: number, serialFrom: number) => {
      const now = Date.now();
      return Array.from({ length: count }, (_, i) => `1169100,779101,${serialFrom + i},1,${DateTime.fromMillis(now - (count - 1 - i) * 50, { zone }).toFormat('MM/dd/yy HH:mm:ss.SSS')}\n`).join('');
    };
    writeFileSync(file, rows(10, 850000));
    await whenText(page, 'bar-779101-0', '10 of 1,000 produced', 15_000, 'aria-label');
    // the first batch's re-plan (and its board fetch) is past; the next one waits for the 5 s throttle
    await page.waitForTimeout(700);
    const requests = watchRequests(page);
    const appendedAt = Date.now();
    appendFileSync(file, rows(90, 850010));
    const shownAt = await whenText(page, 'bar-779101-0', '100 of 1,000 produced', 10_000, 'aria-label');
    console.log(`board: drop-folder append → bar shows 100 produced in ${shownAt - appendedAt} ms (watcher pickup included)`);
    // the watcher's pickup and the ingest are in this figure; the event itself goes out at once (its 1 s throttle is open)
    expect(shownAt - appendedAt).toBeLessThan(2500);
    expect(requests.filter((r) => r.at >= appendedAt && r.at <= shownAt)).toEqual([]);
    // the re-plan follows within its throttle and the board is fetched after it
    await expect.poll(() => requests.some((r) => r.path.startsWith('/api/schedule/board')), { timeout: 10_000 }).toBe(true);
    expect(await page.getByTestId('bar-779101-0').getAttribute('aria-label')).toContain('100 of 1,000 produced');
  }, 120_000);

  it('a dropped stream shows "reconnecting" on the app and on the TV view; back, both fetch again and show what came meanwhile', async () => {
    // the browser reports the failed reconnects
    e2e.allowConsoleErrors(/ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_RESET|net::ERR|Failed to load resource/);
    const session = await e2e.signInApi(e2e.admin);
    const page = await e2e.newPage(LAPTOP);
    await page.goto('/machines');
    await expectText(page.getByTestId('live-indicator'), 'Live');
    const tv = await e2e.newPage({ width: 1920, height: 1080 });
    await tv.goto('/tv?groups=pouching-itrak');
    await tv.waitForFunction(() => document.querySelector('[data-testid="tv-live"]')?.textContent === '', null, { timeout: 10_000 });
    const before = Number((await page.getByTestId('machine-parts-line10').textContent())?.replace(/\D/g, '') || '0');

    // the network goes: the streams drop, and their reconnects fail while it is away
    for (const p of [page, tv]) await p.context().route('**/api/events', (route) => route.abort('connectionreset'));
    e2e.dropConnections();
    await expectText(page.getByTestId('live-indicator'), 'Reconnecting', 10_000);
    await expectText(tv.getByTestId('tv-live'), 'reconnecting', 10_000);

    // meanwhile Line 10 makes parts: the event is lost for these screens (parts of a finished minute:
    // "OEE today", which the fetch brings, counts to the current minute)
    await upload(session, 'line10', '515153', 30, 840000, 65_000);
    await page.waitForTimeout(500);
    expect(Number((await page.getByTestId('machine-parts-line10').textContent())?.replace(/\D/g, '') || '0')).toBe(before);

    const resyncs = watchRequests(page);
    const tvResyncs = watchRequests(tv);
    for (const p of [page, tv]) await p.context().unroute('**/api/events');
    await expectText(page.getByTestId('live-indicator'), 'Live', 15_000);
    await tv.waitForFunction(() => document.querySelector('[data-testid="tv-live"]')?.textContent === '', null, { timeout: 15_000 });
    // resync: the page's data fetched again, and what happened while away is on screen
    await expect.poll(() => resyncs.some((r) => r.path.startsWith('/api/production/state')), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => tvResyncs.some((r) => r.path.startsWith('/api/tv')), { timeout: 10_000 }).toBe(true);
    await expectText(page.getByTestId('machine-lot-line10'), '515153', 10_000);
    await expect.poll(async () => Number((await page.getByTestId('machine-parts-line10').textContent())?.replace(/\D/g, '') || '0'), { timeout: 10_000 }).toBeGreaterThanOrEqual(before + 30);
  }, 120_000);

  it('the bell counts a new alert without a reload', async () => {
    const page = await e2e.newPage(LAPTOP);
    await page.goto('/machines');
    await expectText(page.getByTestId('live-indicator'), 'Live');
    const unread = await e2e.api<{ unread: number }>('/api/alerts/unread');
    expect(unread.status).toBe(200);
    const before = unread.body.unread;
    if (before === 0) await expect.poll(() => page.getByTestId('alert-bell-count').count()).toBe(0);
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });

    // a lot that cannot make its due date on Line 8, and a rule on late lots there
    await parkDemoLots(e2e, ['line8']);
    const due = new Date(Date.now() + 3600_000).toISOString();
    expect((await e2e.api('/api/work-orders', { method: 'POST', body: { lot: '779001', product: 'flu-ab', quantity: 5_000_000, due } })).status).toBe(201);
    expect((await e2e.api('/api/work-orders/779001/operations/0/load', { method: 'POST', body: { machine: 'line8', mode: 'insert', position: 0 } })).status).toBeLessThan(300);
    const rule = await e2e.api('/api/alerts/rules', { method: 'POST', body: { kind: 'late', scope: 'machine', scopeKey: 'line8', minutes: 0 } });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);

    await expect.poll(async () => (await e2e.api<{ unread: number }>('/api/alerts/unread')).body.unread, { timeout: 15_000 }).toBeGreaterThan(before);
    const after = (await e2e.api<{ unread: number }>('/api/alerts/unread')).body.unread;
    await expectText(page.getByTestId('alert-bell-count'), String(after), 5_000);
    expect(navigations).toEqual([]);
  }, 120_000);
});
