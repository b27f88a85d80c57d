// bench/live.bench.ts (b): 200 concurrent SSE clients on one process. The real app (createTestApp,
// SQLite, demo plant) listens on a port; the clients are plain HTTP streams of /api/events from a
// process of their own (bench/live-sse-clients.ts), all signed in as one viewer. Events go through
// the app's EventHub at a steady rate; each carries the hub's publish instant (`at`), the clients
// take the arrival instant. 1 client, 200 clients, then 1 client again, in the same run.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createTestApp } from '../src/testing/app.js';
import { DEMO_MACHINES } from '../src/features/demo/plant.js';
import type { Figure } from './lib.js';
import { describe, log, repoRoot, sleep, spread, type Spread } from './live-lib.js';

const EVENTS_PER_SECOND = 10;
const SECONDS = 10;
const CLIENTS = 200;

interface Run {
  clients: number;
  opened: number;
  failed: number;
  expected: number;
  received: number;
  latency: Spread;
}

async function runClients(url: string, cookie: string, clients: number, publish: (seq: number) => void): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench/live-sse-clients.ts'), url, String(clients), cookie], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${clients} SSE clients not open within 60 s`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('ready\n')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`SSE clients exited (${code}) before all were open`)));
  });
  await ready;
  await sleep(1000);
  const events = EVENTS_PER_SECOND * SECONDS;
  const started = performance.now();
  for (let seq = 0; seq < events; seq++) {
    // a steady rate on the clock, not one that drifts with each publish's cost
    const due = started + (seq * 1000) / EVENTS_PER_SECOND;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    publish(seq);
  }
  await sleep(1000);
  const done = new Promise<string>((resolve) => child.once('exit', () => resolve(out)));
  child.stdin.end();
  const text = await done;
  const result = JSON.parse(text.trim().split('\n').pop()!) as { opened: number; failed: number; received: number; latencies: number[] };
  return { clients, opened: result.opened, failed: result.failed, expected: events * clients, received: result.received, latency: spread(result.latencies) };
}

export async function sseBench(): Promise<Figure[]> {
  const t = await createTestApp('sqlite', 'bench_live_sse');
  try {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/events`;
    const viewer = await t.as('viewer');
    // what a production event of 8 busy machines looks like on the wire today
    const machines = DEMO_MACHINES.slice(0, 8).map((m) => m.key);
    const publish = (seq: number) => t.events.publish({ topic: 'production', data: { machines, cycles: 19, seq } });
    const runs: Run[] = [];
    for (const clients of [1, CLIENTS, 1]) {
      const run = await runClients(url, viewer.session.cookie, clients, publish);
      log(`sse: ${clients} client(s): ${describe(run.latency)}; ${run.received}/${run.expected} events received, ${run.failed} failed streams; hub listeners now ${t.events.listenerCount}`);
      runs.push(run);
      await sleep(500);
    }
    const [before, many, after] = runs;
    const baseline = Math.min(before.latency.p95, after.latency.p95);
    const lost = runs.reduce((sum, r) => sum + (r.expected - r.received) + r.failed, 0);
    return [
      { name: `sse: p95 publish→receive, 1 client (baseline; again after: ${after.latency.p95.toFixed(1)} ms)`, value: before.latency.p95, unit: 'ms', target: 50 },
      { name: `sse: p95 publish→receive, ${CLIENTS} clients (p50 ${many.latency.p50.toFixed(1)} ms, max ${many.latency.max.toFixed(1)} ms)`, value: many.latency.p95, unit: 'ms', target: 50 + baseline },
      { name: `sse: added p95 latency, ${CLIENTS} clients − 1 client (${EVENTS_PER_SECOND} events/s)`, value: many.latency.p95 - baseline, unit: 'ms', target: 50 },
      { name: 'sse: events not received or streams failed', value: lost, unit: '', target: 1 },
    ];
  } finally {
    await t.close();
  }
}
