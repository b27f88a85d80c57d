// The shipped nginx site (deploy/nginx/qmfg.conf) in front of two `qmfg serve` instances on one
// PostgreSQL database (issue 17 acceptance): the web app and the API through it (request ids, hashed
// assets cached), a browser journey (sign in, drag on the board), the live-event stream not buffered
// (an event's bytes arrive promptly through nginx) and an instance stopped without a failed request.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { DateTime } from 'luxon';
import { ensureWebBuilt, expectHidden, expectVisible } from './harness.js';
import { createTestDatabase, TEST_AUDIT_KEY, type TestDatabase } from '../src/testing/databases.js';
import { createTestUser, TEST_PASSWORD_COST, type TestUser } from '../src/testing/auth.js';
import { seedDatabase } from '../src/features/demo/seed.js';
import { DEMO_ORDER_LOTS } from '../src/features/demo/orders.js';
import { startServeProcess, type ServeProcess } from '../src/testing/serve-process.js';
import { SITE_CONFIG, startNginx, type RunningNginx } from '../src/testing/nginx.js';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '../src/features/auth/access.js';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run'];
const HOUR = 3_600_000;

interface Session {
  sessionId: string;
  csrfToken: string;
}

async function signIn(base: string, user: TestUser): Promise<Session> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user.username, password: user.password }) });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookies = new Map(res.headers.getSetCookie().map((c) => c.split(';')[0].split('=') as [string, string]));
  return { sessionId: cookies.get(SESSION_COOKIE)!, csrfToken: cookies.get(CSRF_COOKIE)! };
}

const sessionHeaders = (s: Session) => ({ cookie: `${SESSION_COOKIE}=${s.sessionId}; ${CSRF_COOKIE}=${s.csrfToken}`, [CSRF_HEADER]: s.csrfToken });

async function api<T = unknown>(base: string, session: Session, path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(base + path, {
    method: init.method ?? 'GET',
    headers: { ...sessionHeaders(session), ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Reads an SSE response as it comes: resolves each wanted event's arrival time. */
function sseReader(response: Response) {
  const decoder = new TextDecoder();
  let text = '';
  const waiters: { pattern: RegExp; resolve: (at: number) => void }[] = [];
  void (async () => {
    const reader = response.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
      const now = performance.now();
      for (const w of [...waiters]) {
        if (w.pattern.test(text)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(now);
        }
      }
    }
  })().catch(() => undefined);
  return {
    text: () => text,
    /** the time (performance.now) the first match arrived; text seen before is matched too */
    waitFor(pattern: RegExp, timeoutMs: number): Promise<number | null> {
      if (pattern.test(text)) return Promise.resolve(performance.now());
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(null), timeoutMs);
        waiters.push({ pattern, resolve: (at) => (clearTimeout(timer), resolve(at)) });
      });
    },
  };
}

describe('two qmfg instances behind the shipped nginx site', () => {
  let database: TestDatabase;
  let admin: TestUser;
  let instances: ServeProcess[] = [];
  let nginx: RunningNginx;
  let browser: Browser;
  let session: Session;

  beforeAll(async () => {
    ensureWebBuilt();
    database = await createTestDatabase('postgres', 'nginx_e2e');
    await seedDatabase(database.db, database.config, true, { orders: true });
    admin = await createTestUser(database.db, 'admin', { username: 'nginx-admin' });
    const env = {
      DATABASE_URL: database.url, QMFG_DATA_DIR: database.config.QMFG_DATA_DIR, QMFG_AUDIT_KEY: TEST_AUDIT_KEY, QMFG_TZ: database.config.QMFG_TZ,
      QMFG_DEMO: '1', QMFG_DEMO_LIVE: '0', QMFG_DEMO_DAYS: '0', QMFG_WATCH: '0', QMFG_PASSWORD_COST: TEST_PASSWORD_COST, QMFG_LOGIN_RATE_PER_MINUTE: '100000',
      QMFG_TRUST_PROXY: '1', LOG_LEVEL: 'warn',
    };
    instances = await Promise.all([startServeProcess(env), startServeProcess(env)]);
    nginx = await startNginx(instances.map((i) => i.port));
    session = await signIn(nginx.url, admin);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await nginx?.stop();
    await Promise.all(instances.map((i) => i.stop()));
    await database?.destroy();
  });

  it('serves the app and the API through nginx, with its request id, and caches the hashed assets', async () => {
    const page = await fetch(`${nginx.url}/board`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    // nginx's $request_id (32 hex), passed to the instance, which returns and logs it
    expect(page.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    const html = await page.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset, html).toBeDefined();
    const first = await fetch(nginx.url + asset);
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    const second = await fetch(nginx.url + asset);
    expect(second.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(second.headers.get('x-cache-status')).toBe('HIT');
    await second.arrayBuffer();
    // an id a balancer in front of nginx sent is kept, and found in nginx's access log too
    const given = await fetch(`${nginx.url}/api/ready`, { headers: { 'x-request-id': 'lb-7f3a9c' } });
    expect(given.status).toBe(200);
    expect(given.headers.get('x-request-id')).toBe('lb-7f3a9c');
    expect(await given.json()).toMatchObject({ status: 'ready', db: 'postgres' });
    expect(nginx.accessLog().some((line) => line.includes('rid=lb-7f3a9c'))).toBe(true);
    // the instances see the browser's origin through nginx: a change from a page of this site is accepted
    const change = await fetch(`${nginx.url}/api/auth/session`, { headers: { ...sessionHeaders(session), origin: nginx.url } });
    expect(change.status).toBe(200);
  });

  it('signs in and drags a job on the board through nginx', async () => {
    // Lines 7 and 8 to themselves: the demo's lots there parked
    for (const { lot } of DEMO_ORDER_LOTS.filter((o) => o.machines[0] === 'line7' || o.machines[0] === 'line8')) {
      expect((await api(nginx.url, session, `/api/work-orders/${lot}/operations/0/park`, { method: 'POST', body: {} })).status).toBe(200);
    }
    const due = new Date(Date.now() + 10 * 24 * HOUR).toISOString().slice(0, 10);
    for (const [lot, product, quantity] of [['N1001', 'flu-ab', 20_000], ['N1002', 'rsv', 10_000]] as const) {
      const created = await api(nginx.url, session, '/api/work-orders', { method: 'POST', body: { lot, product, quantity, due } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    expect((await api(nginx.url, session, '/api/work-orders/N1001/operations/0/load', { method: 'POST', body: { machine: 'line7', mode: 'append' } })).status).toBe(200);

    const context = await browser.newContext({ baseURL: nginx.url, viewport: { width: 1920, height: 1080 }, timezoneId: 'UTC', locale: 'en-US' });
    context.setDefaultTimeout(15_000);
    context.setDefaultNavigationTimeout(30_000);
    const problems: string[] = [];
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    // sign in as a person does: the sign-in page, through nginx
    await page.goto('/board?group=pouching-itrak&zoom=day');
    await expectVisible(page.getByTestId('page-login'), 30_000);
    await page.getByTestId('login-username').fill(admin.username);
    await page.getByTestId('login-password').fill(admin.password);
    await page.getByTestId('login-submit').click();
    const lane = page.getByTestId('track-line7');
    await expectVisible(lane.getByTestId('bar-N1001-0'), 30_000);
    const parked = page.getByTestId('parked-N1002-0');
    await expectVisible(parked);
    const from = await parked.boundingBox();
    const to = await lane.getByTestId('bar-N1001-0').boundingBox();
    if (!from || !to) throw new Error('no boxes');
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 12, from.y + from.height / 2 + 4, { steps: 3 });
    await page.mouse.move(to.x + to.width + 40, to.y + to.height / 2, { steps: 12 });
    await expectVisible(page.getByTestId('drag-ghost'));
    await page.mouse.up();
    await expectVisible(lane.getByTestId('bar-N1002-0'));
    await expectHidden(parked);
    // stored: whichever instance answers says so
    const order = await api<{ operations: { step: number; machine: string | null; position: number | null }[] }>(nginx.url, session, '/api/work-orders/N1002');
    expect(order.body.operations[0]).toMatchObject({ machine: 'line7' });
    await context.close();
    expect(problems).toEqual([]);
  }, 90_000);

  it('passes live events through unbuffered: an event written by the instance arrives at once', async () => {
    // two streams through nginx: least_conn puts one on each instance
    const abort = new AbortController();
    const streams = await Promise.all([0, 1].map(() => fetch(`${nginx.url}/api/events`, { headers: sessionHeaders(session), signal: abort.signal })));
    for (const s of streams) {
      expect(s.status).toBe(200);
      expect(s.headers.get('content-type')).toMatch(/^text\/event-stream/);
      // not compressed: gzip would hold bytes back until a block fills
      expect(s.headers.get('content-encoding')).toBeNull();
    }
    const readers = streams.map(sseReader);
    // the stream's first bytes (its retry hint) come at once, not when a buffer fills
    for (const r of readers) expect(await r.waitFor(/retry: 2000/, 2000)).not.toBeNull();
    const timings: number[] = [];
    for (let round = 0; round < 5; round++) {
      // a change made on instance 1 itself (live events stay in their instance until the events
      // transport is merged): the stream nginx put on instance 1 must show it promptly
      const direct = await signIn(instances[0].url, admin);
      const lot = `NE${round}`;
      // the first stream to show it (the other one, on instance 2, never does)
      const arrivals = readers.map((r) => r.waitFor(new RegExp(`"lot":"${lot}"`), 3000));
      const first = new Promise<number | null>((resolve) => {
        let pending = arrivals.length;
        for (const a of arrivals) void a.then((at) => (at !== null ? resolve(at) : --pending === 0 && resolve(null)));
      });
      const started = performance.now();
      const created = await api(instances[0].url, direct, '/api/work-orders', { method: 'POST', body: { lot, product: 'flu-ab', quantity: 1000, due: DateTime.now().plus({ days: 20 }).toISODate() } });
      expect(created.status).toBe(201);
      const seen = await first;
      expect(seen, readers.map((r) => r.text().slice(-300)).join('\n---\n')).not.toBeNull();
      timings.push(seen! - started);
    }
    timings.sort((a, b) => a - b);
    console.log(`live event through nginx: change → event bytes at the client ${timings.map((t) => t.toFixed(0)).join(', ')} ms`);
    // unbuffered: well under the instance's 20 s keep-alive comment that would otherwise flush a buffer
    expect(timings[Math.floor(timings.length / 2)]).toBeLessThan(500);
    abort.abort();
  }, 60_000);

  // Enable once the events branch (cross-instance transport, QMFG_EVENTS) is merged: the change is
  // made through nginx (on either instance), the second browser holds its stream on the other.
  it('a drag in one browser shows up live in a second browser on the other instance', async () => {
    const other = await browser.newContext({ baseURL: instances[1].url, viewport: { width: 1920, height: 1080 } });
    const direct = await signIn(instances[1].url, admin);
    await other.addCookies([
      { name: SESSION_COOKIE, value: direct.sessionId, url: instances[1].url, httpOnly: true, sameSite: 'Lax' },
      { name: CSRF_COOKIE, value: direct.csrfToken, url: instances[1].url, httpOnly: false, sameSite: 'Strict' },
    ]);
    const watcher = await other.newPage();
    await watcher.goto('/board?group=pouching-itrak&zoom=day');
    await expectVisible(watcher.getByTestId('track-line7').getByTestId('bar-N1002-0'), 30_000);
    // a change through nginx, on instance 0 directly to be sure it is the other one
    const first = await signIn(instances[0].url, admin);
    expect((await api(instances[0].url, first, '/api/work-orders/N1002/operations/0/park', { method: 'POST', body: {} })).status).toBe(200);
    await expectVisible(watcher.getByTestId('parked-N1002-0'), 1_000);
    await other.close();
  });

  it('keeps answering while an instance stops (SIGTERM): nginx moves its requests to the other', async () => {
    const config = readFileSync(SITE_CONFIG, 'utf8');
    expect(config).toMatch(/proxy_next_upstream error timeout http_502 http_503;/);
    const statuses: number[] = [];
    let stopping = true;
    const load = (async () => {
      while (stopping) {
        const res = await fetch(`${nginx.url}/api/ready`);
        statuses.push(res.status);
        await res.arrayBuffer();
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    const signalled = Date.now();
    const exit = await instances[1].stop('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    stopping = false;
    await load;
    console.log(`instance 2 stopped ${exit.at - signalled} ms after SIGTERM (exit ${exit.code}) while ${statuses.length} requests went through nginx`);
    expect(exit.at - signalled, instances[1].output().slice(-2000)).toBeLessThan(10_000);
    expect(exit.code).toBe(0);
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  }, 30_000);
});
