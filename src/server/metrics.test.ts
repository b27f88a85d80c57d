// /metrics (who may read it, what it says after real traffic, ingest and a re-plan), /api/ready
// (reachable and migrated, else 503 with the reason) and the request id in the response header and
// the JSON log lines — on the three databases.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/app.js';
import { DIALECTS } from '../testing/databases.js';
import { LINE7_DAYS, multipartFiles } from '../testing/machine-data.js';
import { openDatabase } from '../db/connect.js';
import { migrateUpTo } from '../db/migrate.js';
import { buildApp } from './app.js';
import { EventHub } from './events.js';
import { loadConfig } from '../config.js';
import { tempFolder } from '../testing/machine-data.js';
import { join } from 'node:path';

const TOKEN = 'metrics-token-0123456789abcdef';

/** The value of a sample line `name{labels} value` (labels matched as given), or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}` : ''}`) && !l.startsWith('#'));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe.each(DIALECTS)('metrics and readiness on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, 'metrics', { env: { QMFG_METRICS_TOKEN: TOKEN } });
  }, 60_000);
  afterAll(async () => t?.close());

  it('is for administrators and the scraper token only', async () => {
    expect((await t.anonymous({ url: '/metrics' })).statusCode).toBe(401);
    expect((await t.anonymous({ url: '/metrics', headers: { authorization: 'Bearer wrong-token-0123456789' } })).statusCode).toBe(401);
    const planner = await t.as('planner');
    expect((await planner.inject({ url: '/metrics' })).statusCode).toBe(403);
    const scraped = await t.anonymous({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(scraped.statusCode).toBe(200);
    expect(scraped.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const admin = await t.app.inject({ url: '/metrics' });
    expect(admin.statusCode).toBe(200);
    expect(admin.body).toContain('# TYPE qmfg_http_request_duration_seconds histogram');
  });

  it('counts requests by route pattern, ingest per machine, re-plans, leases, the outbox and the pool', async () => {
    await t.app.inject({ url: '/api/machines' });
    await t.app.inject({ url: '/api/health' });
    // a path with an id is counted under its pattern, an unknown URL under "unmatched"
    await t.app.inject({ url: '/api/work-orders/ZZ404' });
    await t.app.inject({ url: '/api/no-such-thing/123' });
    const file = multipartFiles([{ name: 'PR20221010.txt', content: readFileSync(LINE7_DAYS[0]) }]);
    const upload = await t.app.inject({ method: 'POST', url: '/api/ingest/upload?machine=line7', ...file });
    expect(upload.statusCode, upload.body).toBe(200);
    const stored = (upload.json() as { files: { cycles: number }[] }).files[0].cycles;
    expect(stored).toBeGreaterThan(10_000);
    expect((await t.app.inject({ method: 'POST', url: '/api/schedule/replan' })).statusCode).toBe(200);
    const text = (await t.anonymous({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).body;

    expect(sample(text, 'qmfg_http_request_duration_seconds_count', 'method="GET",route="/api/machines",status="200"')).toBe(1);
    expect(sample(text, 'qmfg_http_request_duration_seconds_count', 'method="GET",route="/api/work-orders/:lot",status="404"')).toBe(1);
    expect(sample(text, 'qmfg_http_request_duration_seconds_count', 'method="GET",route="unmatched",status="404"')).toBe(1);
    expect(text).not.toContain('ZZ404');
    expect(sample(text, 'qmfg_ingest_rows_total', 'machine="line7"')).toBe(stored);
    expect(sample(text, 'qmfg_ingest_rows_per_second', 'machine="line7"')).toBeCloseTo(stored / 60, 3);
    // the file is from 2022: its last cycle was stored years after it happened
    expect(sample(text, 'qmfg_ingest_lag_seconds', 'machine="line7"')).toBeGreaterThan(3 * 365 * 86_400);
    expect(sample(text, 'qmfg_replan_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'qmfg_sse_clients')).toBe(0);
    expect(sample(text, 'qmfg_alert_outbox_pending')).toBe(0);
    if (dialect === 'sqlite') expect(text).not.toContain('qmfg_db_pool_connections{');
    else {
      expect(sample(text, 'qmfg_db_pool_connections', 'state="max"')).toBe(10);
      expect(sample(text, 'qmfg_db_pool_connections', 'state="total"')).toBeGreaterThanOrEqual(1);
    }
    // no keeper in an app built without `serve`: no lease held
    expect(text).not.toContain('qmfg_job_leases_held{');
    expect(text).toContain('qmfg_process_cpu_seconds_total');
  }, 60_000);

  it('reports the leases its keeper holds', async () => {
    const { metricsOf } = await import('./metrics.js');
    metricsOf(t.app).watchLeases(() => ['alerts', 'drop-folder-watcher']);
    const text = (await t.app.inject({ url: '/metrics' })).body;
    expect(sample(text, 'qmfg_job_leases_held', 'job="alerts"')).toBe(1);
    expect(sample(text, 'qmfg_job_leases_held', 'job="drop-folder-watcher"')).toBe(1);
    metricsOf(t.app).watchLeases(() => []);
  });

  it('is ready when the database answers and is migrated', async () => {
    const res = await t.anonymous({ url: '/api/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ready', db: dialect, pendingMigrations: [] });
  });

  it('passes an X-Request-Id through and makes one up otherwise', async () => {
    const given = await t.anonymous({ url: '/api/health', headers: { 'x-request-id': '9f86d081884c7d659a2feaa0c55ad015' } });
    expect(given.headers['x-request-id']).toBe('9f86d081884c7d659a2feaa0c55ad015');
    const made = await t.anonymous({ url: '/api/health' });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    // a header that is no id (spaces, too long) is not repeated into logs
    const odd = await t.anonymous({ url: '/api/health', headers: { 'x-request-id': 'a b\tc' } });
    expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('readiness of an instance ahead of its database, or without one', () => {
  const folder = tempFolder('ready');
  afterAll(() => folder.remove());

  it('answers 503 with the pending migrations, then with "unreachable" once the database is gone', async () => {
    const url = `sqlite:${join(folder.path, 'old.db')}`;
    const handle = await openDatabase(url);
    // a database an older version migrated: the last migrations have not run yet
    await migrateUpTo(handle.db, '20261204_35_alert_chart');
    const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', QMFG_DATA_DIR: folder.path } as NodeJS.ProcessEnv);
    const app = await buildApp({ db: handle.db, dialect: 'sqlite', config, events: new EventHub() }, { logger: false });
    await app.ready();
    const res = await app.inject({ url: '/api/ready' });
    expect(res.statusCode).toBe(503);
    const body = res.json() as { status: string; reason: string; pendingMigrations: string[] };
    expect(body.status).toBe('unavailable');
    expect(body.reason).toMatch(/not migrated/);
    // every migration after the one it stopped at, in order
    expect(body.pendingMigrations[0]).toBe('20261204_36_job_leases');
    expect(body.pendingMigrations.every((name) => name > '20261204_35_alert_chart')).toBe(true);
    expect([...body.pendingMigrations].sort()).toEqual(body.pendingMigrations);
    // liveness is another question: the process and its database answer
    expect((await app.inject({ url: '/api/health' })).statusCode).toBe(200);
    await handle.close();
    const gone = await app.inject({ url: '/api/ready' });
    expect(gone.statusCode).toBe(503);
    expect((gone.json() as { reason: string }).reason).toMatch(/unreachable/);
    await app.close();
  });
});

describe('JSON logs', () => {
  let t: TestApp;
  const lines: string[] = [];
  beforeAll(async () => {
    t = await createTestApp('sqlite', 'logs', { env: { LOG_LEVEL: 'debug' }, build: { logDestination: { write: (line: string) => lines.push(line) } } });
  });
  afterAll(async () => t?.close());

  it('carry the request id nginx sent on every line of that request', async () => {
    lines.length = 0;
    await t.anonymous({ url: '/api/health', headers: { 'x-request-id': 'nginx-req-42' } });
    const entries = lines.map((l) => JSON.parse(l) as { reqId?: string; msg?: string; level: number; time: number });
    const mine = entries.filter((e) => e.reqId === 'nginx-req-42');
    // Fastify's "incoming request" and "request completed" at debug level, both JSON, both with the id
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(mine.every((e) => typeof e.time === 'number' && typeof e.level === 'number')).toBe(true);
  });
});

describe('a draining instance', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', 'draining');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => t?.close());

  it('counts its live streams, ends them with a retry hint, then refuses new requests with 503 and Connection: close', async () => {
    const { lifecycleOf } = await import('./lifecycle.js');
    const address = t.app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const session = await t.as('viewer');
    const stream = await fetch(`${base}/api/events`, { headers: { cookie: session.session.cookie } });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    expect(text).toContain('retry: 2000');
    const scrape = (await t.app.inject({ url: '/metrics' })).body;
    expect(sample(scrape, 'qmfg_sse_clients')).toBe(1);
    // the stream's own open time is not a request duration
    expect(scrape).not.toContain('route="/api/events",status="200"');

    const lifecycle = lifecycleOf(t.app);
    lifecycle.startDraining();
    expect(lifecycle.closeStreams(1000)).toBe(1);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    expect(text).toMatch(/retry: 1000\nevent: reconnect\n/);
    expect(lifecycle.streams.size).toBe(0);

    const refused = await fetch(`${base}/api/health`);
    expect(refused.status, await refused.clone().text()).toBe(503);
    expect(refused.headers.get('connection')).toBe('close');
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await refused.json()).toMatchObject({ error: { code: 'unavailable' } });
    // readiness too (a route with its own 503 schema): a balancer's check takes it out
    const ready = await fetch(`${base}/api/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ error: { code: 'unavailable' } });
  });
});
