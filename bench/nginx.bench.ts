// Two qmfg instances behind the shipped nginx site on one PostgreSQL database (issue 17): the board
// read and the OEE of a day, open-loop at 300 req/s (target p99 < 100 ms, no failed request) and
// closed-loop at 200 connections (target p99 < 5 × p50, throughput ≥ 1.3 × one instance's behind
// the same nginx — both printed). Instances are real `qmfg serve` processes; the load comes from a
// process of its own, 50 viewer sessions (a plant's screens: the per-session gate never queues them).
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Figure } from './lib.js';
import { createTestDatabase, TEST_AUDIT_KEY } from '../src/testing/databases.js';
import { createTestUser, TEST_PASSWORD_COST } from '../src/testing/auth.js';
import { seedDatabase } from '../src/features/demo/seed.js';
import { seedDemoOrders } from '../src/features/demo/orders.js';
import { fillDerivedDays } from '../src/testing/derived-year.js';
import { startServeProcess, type ServeProcess } from '../src/testing/serve-process.js';
import { startNginx, type RunningNginx } from '../src/testing/nginx.js';
import { CSRF_COOKIE, SESSION_COOKIE } from '../src/features/auth/access.js';

const SECONDS = 8;
const OPEN_RATE = 300;
const CLOSED_CONNECTIONS = 200;
const SESSIONS = 50;
const YEAR = Date.UTC(2025, 0, 1);
const CLIENT = join(import.meta.dirname, 'nginx-client.ts');
const METRICS_TOKEN = 'bench-metrics-token-0123456789';

/** Requests each instance answered so far (its /metrics): shows how nginx spread the load. */
async function answeredBy(instances: readonly ServeProcess[]): Promise<number[]> {
  return Promise.all(
    instances.map(async (instance) => {
      const text = await (await fetch(`${instance.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
      return text
        .split('\n')
        .filter((line) => line.startsWith('qmfg_http_request_duration_seconds_count{'))
        .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    }),
  );
}

interface Load {
  requests: number;
  perSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
}

function load(url: string, cookies: string[], connections: number, rate?: number): Promise<Load> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLIENT, JSON.stringify({ url, connections, seconds: SECONDS, rate, cookies })], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as Load);
      } catch {
        reject(new Error(`load client exited ${code}: ${err.slice(0, 400)}`));
      }
    });
  });
}

export default async function nginxBench(): Promise<Figure[]> {
  const database = await createTestDatabase('postgres', 'bench_nginx');
  const instances: ServeProcess[] = [];
  let nginx: RunningNginx | null = null;
  let single: RunningNginx | null = null;
  try {
    const zone = database.config.QMFG_TZ;
    await seedDatabase(database.db, database.config, true, { orders: false });
    await database.db.transaction().execute((trx) => seedDemoOrders(trx, zone, Date.now()));
    await fillDerivedDays(database.db, { machines: ['line7', 'line8'], start: YEAR, days: 366 });
    const viewers = await Promise.all(Array.from({ length: SESSIONS }, () => createTestUser(database.db, 'viewer')));
    const env = {
      DATABASE_URL: database.url, QMFG_DATA_DIR: database.config.QMFG_DATA_DIR, QMFG_AUDIT_KEY: TEST_AUDIT_KEY, QMFG_TZ: zone,
      QMFG_DEMO: '1', QMFG_DEMO_LIVE: '0', QMFG_DEMO_DAYS: '0', QMFG_WATCH: '0', QMFG_PASSWORD_COST: TEST_PASSWORD_COST, QMFG_LOGIN_RATE_PER_MINUTE: '100000',
      QMFG_TRUST_PROXY: '1', LOG_LEVEL: 'warn', NODE_ENV: 'production', QMFG_METRICS_TOKEN: METRICS_TOKEN,
    };
    instances.push(...(await Promise.all([startServeProcess(env), startServeProcess(env)])));
    nginx = await startNginx(instances.map((i) => i.port));
    single = await startNginx([instances[0].port]);
    const cookies: string[] = [];
    for (const viewer of viewers) {
      const res = await fetch(`${nginx.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: viewer.username, password: viewer.password }) });
      if (res.status !== 200) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
      const jar = new Map(res.headers.getSetCookie().map((c) => c.split(';')[0].split('=') as [string, string]));
      cookies.push(`${SESSION_COOKIE}=${jar.get(SESSION_COOKIE)}; ${CSRF_COOKIE}=${jar.get(CSRF_COOKIE)}`);
    }
    const weekStart = DateTime.now().setZone(zone).startOf('week').toMillis();
    const endpoints: [string, string][] = [
      ['board read', `/api/schedule/board?group=pouching-itrak&from=${weekStart}&to=${weekStart + 28 * 86_400_000}`],
      ['OEE day', '/api/oee?machine=line7&from=2025-06-11T00:00&to=2025-06-12T00:00&groupBy=hour'],
    ];
    const figures: Figure[] = [];
    for (const [name, path] of endpoints) {
      for (const base of [nginx.url, single.url]) {
        const check = await fetch(base + path, { headers: { cookie: cookies[0] } });
        if (check.status !== 200) throw new Error(`${name}: ${check.status} ${await check.text()}`);
        // warm both instances' caches and the pools
        await load(base + path, cookies, 20);
      }
      const open = await load(nginx.url + path, cookies, 100, OPEN_RATE);
      process.stderr.write(`nginx: ${name}, open-loop ${OPEN_RATE} req/s, 2 instances: ${open.perSecond.toFixed(0)} req/s, p50 ${open.p50} ms, p90 ${open.p90} ms, p99 ${open.p99} ms, max ${open.max} ms, ${open.errors} errors, ${open.non2xx} non-2xx\n`);
      figures.push({ name: `nginx: ${name}, open-loop ${OPEN_RATE} req/s, 2 instances, p99`, value: open.p99, unit: 'ms', target: 100 });
      figures.push({ name: `nginx: ${name}, open-loop ${OPEN_RATE} req/s, failed or refused requests`, value: open.errors + open.non2xx, unit: '', target: 1 });

      const before = await answeredBy(instances);
      const two = await load(nginx.url + path, cookies, CLOSED_CONNECTIONS);
      const after = await answeredBy(instances);
      process.stderr.write(`nginx: ${name}, closed-loop, 2 instances answered ${after.map((n, i) => n - before[i]).join(' + ')} requests (${cpus().length} CPU cores on this machine for instances, PostgreSQL, nginx and the load generator)\n`);
      const one = await load(single.url + path, cookies, CLOSED_CONNECTIONS);
      for (const [label, l] of [['2 instances', two], ['1 instance', one]] as const) {
        process.stderr.write(`nginx: ${name}, closed-loop ${CLOSED_CONNECTIONS} conn, ${label}: ${l.perSecond.toFixed(0)} req/s, p50 ${l.p50} ms, p90 ${l.p90} ms, p99 ${l.p99} ms, max ${l.max} ms, ${l.errors} errors, ${l.non2xx} non-2xx\n`);
      }
      figures.push({ name: `nginx: ${name}, closed-loop ${CLOSED_CONNECTIONS} conn, 2 instances, p99/p50 (p50 ${two.p50} ms)`, value: two.p99 / Math.max(two.p50, 1), unit: '', target: 5 });
      figures.push({ name: `nginx: ${name}, closed-loop, failed or refused requests`, value: two.errors + two.non2xx + one.errors + one.non2xx, unit: '', target: 1 });
      // as a figure under a target: one instance's throughput over two's must stay under 1/1.3
      figures.push({
        name: `nginx: ${name}, 1 instance / 2 instances throughput (${one.perSecond.toFixed(0)} vs ${two.perSecond.toFixed(0)} req/s; ≤ 0.769 = 2 give ≥ 1.3×)`,
        value: one.perSecond / Math.max(two.perSecond, 1),
        unit: '',
        target: 1 / 1.3,
      });
    }
    return figures;
  } finally {
    await nginx?.stop();
    await single?.stop();
    await Promise.all(instances.map((i) => i.stop()));
    await database.destroy();
  }
}
