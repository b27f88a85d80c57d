// The server under connection load (issue 10 items 4 and 7), on SQLite and PostgreSQL: the real app
// listening on a port, the demo plant with its work orders and a year of derived machine data, driven
// by autocannon over HTTP from a process of its own. Figures: board read and OEE of a day at 10 and 100 connections (req/s,
// p50, p99 and p99/p50 — target p99 < 5 × p50 at 100 connections), and /api/health latency while the
// heaviest OEE request the limits allow runs (target < 100 ms). All connections share one viewer
// session (a wall of screens signed in once): the per-session gate queues them first come, first served.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { DateTime } from 'luxon';
import { createTestApp, type TestApp } from '../src/testing/app.js';
import { fillDerivedDays } from '../src/testing/derived-year.js';
import { DEMO_MACHINES } from '../src/features/demo/plant.js';
import { seedDemoOrders } from '../src/features/demo/orders.js';
import type { Figure } from './lib.js';
import { healthWhile } from '../src/testing/health-probe.js';

const ALL = DEMO_MACHINES.map((m) => m.key);
const SECONDS = 5;
const YEAR = Date.UTC(2025, 0, 1);
const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

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

/**
 * The load comes from autocannon in a process of its own, as it would from other machines: run in
 * the server's process, the generator's own work shares the server's event loop and shows up as
 * server latency (in-process runs put 1–5 s tails on the same server that answers a separate client
 * evenly).
 */
function run(url: string, connections: number, headers: Record<string, string>): Promise<Load> {
  const args = [AUTOCANNON, '--json', '--connections', String(connections), '--duration', String(SECONDS)];
  for (const [name, value] of Object.entries(headers)) args.push('--headers', `${name}=${value}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        const result = JSON.parse(out) as {
          requests: { total: number; average: number };
          latency: { p50: number; p90: number; p99: number; max: number };
          errors: number;
          timeouts: number;
          non2xx: number;
        };
        resolve({
          requests: result.requests.total,
          perSecond: result.requests.average,
          p50: result.latency.p50,
          p90: result.latency.p90,
          p99: result.latency.p99,
          max: result.latency.max,
          errors: result.errors + result.timeouts,
          non2xx: result.non2xx,
        });
      } catch {
        reject(new Error(`autocannon exited ${code}: ${err.slice(0, 400)}`));
      }
    });
  });
}

async function benchDialect(dialect: 'sqlite' | 'postgres'): Promise<Figure[]> {
  const t: TestApp = await createTestApp(dialect, 'bench_load');
  try {
    const zone = t.database.config.QMFG_TZ;
    await t.database.db.transaction().execute((trx) => seedDemoOrders(trx, zone, Date.now()));
    await fillDerivedDays(t.database.db, { machines: dialect === 'sqlite' ? ALL : ALL.slice(0, 6), start: YEAR, days: 366 });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const viewer = await t.as('viewer');
    const headers = { cookie: viewer.session.cookie };
    const weekStart = DateTime.now().setZone(zone).startOf('week').toMillis();
    const endpoints: [string, string][] = [
      ['board read', `/api/schedule/board?group=pouching-itrak&from=${weekStart}&to=${weekStart + 28 * 86_400_000}`],
      ['OEE day', `/api/oee?machine=line7&from=2025-06-11T00:00&to=2025-06-12T00:00&groupBy=hour`],
    ];
    const figures: Figure[] = [];
    for (const [name, path] of endpoints) {
      const check = await fetch(`${base}${path}`, { headers });
      if (check.status !== 200) throw new Error(`${name}: ${check.status} ${await check.text()}`);
      for (const connections of [10, 100]) {
        const load = await run(`${base}${path}`, connections, headers);
        const label = `load: ${name}, ${connections} conn, ${dialect} (${load.perSecond.toFixed(0)} req/s, p50 ${load.p50} ms)`;
        process.stderr.write(`${label}: p90 ${load.p90} ms, p99 ${load.p99} ms, max ${load.max} ms, ${load.requests} requests, ${load.errors} errors, ${load.non2xx} non-2xx\n`);
        figures.push({ name: `${label} p99`, value: load.p99, unit: 'ms', target: connections === 100 ? 5 * Math.max(load.p50, 1) : 1000 });
        figures.push({ name: `load: ${name}, ${connections} conn, ${dialect}, p99/p50`, value: load.p99 / Math.max(load.p50, 1), unit: '', target: 5 });
        figures.push({ name: `load: ${name}, ${connections} conn, ${dialect}, failed or refused requests`, value: load.errors + load.non2xx, unit: '', target: 1 });
      }
    }
    // the heaviest the limits allow: every machine, 385 days by day (7 315 machine-days, ~7 400 results)
    const heavy = `/api/oee?machine=${ALL.join(',')}&from=2025-01-01T00:00&to=2026-01-21T00:00&groupBy=day`;
    const started = performance.now();
    const health = await healthWhile(base, async () => {
      const res = await fetch(`${base}${heavy}`, { headers });
      return { status: res.status, bytes: (await res.arrayBuffer()).byteLength };
    });
    if (health.result.status !== 200) throw new Error(`heaviest OEE request: ${health.result.status}`);
    process.stderr.write(
      `load: heaviest allowed OEE (${(health.result.bytes / 1e6).toFixed(1)} MB in ${(performance.now() - started).toFixed(0)} ms), ${dialect}: health worst ${health.worstMs.toFixed(1)} ms over ${health.probes} probes\n`,
    );
    figures.push({ name: `health latency during the heaviest allowed OEE request, ${dialect} (worst)`, value: health.worstMs, unit: 'ms', target: 100 });
    return figures;
  } finally {
    await t.close();
  }
}

export default async function loadBench(): Promise<Figure[]> {
  return [...(await benchDialect('sqlite')), ...(await benchDialect('postgres'))];
}
