// bench/live.bench.ts (c): the living demo's cost. The real `qmfg serve` (own process, fresh SQLite,
// demo plant, MQTT ingest) and `qmfg simulate` over all 19 demo machines at speed 1 (own process,
// publishing over the local Mosquitto) run for a minute; their CPU time (user + system, every thread,
// from /proc/<pid>/stat) over that minute as % of one core. The demo queues work on 11 of the 19
// machines; the bench gives each of the other 8 a lot of its own (seeded like the demo's orders), so
// that every machine produces. The cycles the simulator published in the window are counted on the
// broker, so a quiet minute (a break, off shift) shows as such instead of as a low figure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import mqtt from 'mqtt';
import { DEMO_GROUPS, DEMO_MACHINES, DEMO_PRODUCTS } from '../src/features/demo/plant.js';
import * as ordersRepo from '../src/features/orders/repository.js';
import { replan } from '../src/features/orders/planner.js';
import type { Db } from '../src/db/database.js';
import type { TvResponse } from '../src/features/tv/schemas.js';
import type { Figure } from './lib.js';
import { api, benchEnv, cpuSeconds, log, prepareDemo, signInHttp, sleep, spawnCli, startServe } from './live-lib.js';

const WARMUP_MS = 10_000;
const WINDOW_MS = 60_000;
const MACHINES = DEMO_MACHINES.map((m) => m.key);

/**
 * Stretches of the demo week's working time (Mon–Sun 06:30–23:00) between the simulator's breaks
 * (core/simulation BREAKS), in minutes of the plant's day.
 */
const BETWEEN_BREAKS: readonly [number, number][] = [
  [6 * 60 + 35, 7 * 60 + 55], [8 * 60 + 20, 10 * 60 + 25], [11 * 60 + 6, 12 * 60 + 55], [13 * 60 + 20, 14 * 60 + 15],
  [14 * 60 + 35, 16 * 60 + 55], [17 * 60 + 22, 18 * 60 + 55], [19 * 60 + 37, 21 * 60 + 10], [21 * 60 + 34, 22 * 60 + 55],
];
const SPAN_MINUTES = 6;

/**
 * The plant's zone for the run: the demo's own (America/Los_Angeles) when the next minutes are
 * working time outside a break there, else a whole-hour zone where they are — a minute measured in
 * a break or off shift would show an idle plant, not its cost.
 */
export function workingZone(now: number): string {
  const utcMinute = Math.floor(now / 60_000) % 1440;
  const fits = (offsetHours: number) => {
    const local = (((utcMinute + offsetHours * 60) % 1440) + 1440) % 1440;
    return BETWEEN_BREAKS.some(([from, to]) => local >= from && local + SPAN_MINUTES <= to);
  };
  const laOffset = Math.round(DateTime.fromMillis(now, { zone: 'America/Los_Angeles' }).offset / 60);
  if (fits(laOffset)) return 'America/Los_Angeles';
  for (let h = -12; h <= 14; h++) if (fits(h)) return h === 0 ? 'UTC' : `Etc/GMT${h > 0 ? '-' : '+'}${Math.abs(h)}`;
  return 'America/Los_Angeles';
}

/** A lot (strep-a-inline, a week at ~140/min) at the head of every machine whose queue is empty. */
async function queueIdleMachines(db: Db, zone: string): Promise<string[]> {
  const product = DEMO_PRODUCTS.find((p) => p.key === 'strep-a-inline')!;
  const now = Date.now();
  const added: string[] = [];
  await db.transaction().execute(async (trx) => {
    let n = 0;
    for (const machine of MACHINES) {
      if ((await ordersRepo.machineQueue(trx, machine)).length > 0) continue;
      const lot = String(170_001 + n++);
      await ordersRepo.insertWorkOrder(trx, { lot, product_key: product.key, quantity: 1_000_000, due: now + 30 * 86_400_000, priority: 0, notes: 'bench', rate_mode: null }, product.routing.length, now);
      await ordersRepo.updateOperation(trx, lot, 0, { machine_key: machine, position: 0, state: 'queued', produced: 0, good: 0, actual_start: null });
      added.push(machine);
    }
    await replan(trx, zone, now);
  });
  return added;
}

export async function cpuBench(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'qmfg-bench-live-cpu-'));
  const zone = workingZone(Date.now());
  const env = benchEnv(dir, 'cpu', { QMFG_TZ: zone });
  log(`cpu: plant zone ${zone} (the next minutes are working time outside a break there)`);
  let added: string[] = [];
  const admin = await prepareDemo(env, async (db, zone) => {
    added = await queueIdleMachines(db, zone);
  });
  log(`cpu: queued a lot on ${added.join(', ')} (their queues were empty)`);
  const server = await startServe(env);
  let simulator: ReturnType<typeof spawnCli> | undefined;
  const counter = await mqtt.connectAsync(env.QMFG_MQTT_URL, { protocolVersion: 5, clientId: `${env.QMFG_MQTT_TOPIC_PREFIX}-counter` });
  try {
    await server.waitFor(/demo sensor data/, 180_000);
    await server.waitFor(/MQTT: subscribed/, 30_000);
    simulator = spawnCli(['simulate', '--machines', MACHINES.join(','), '--speed', '1'], env);
    await simulator.waitFor(/publishing/, 60_000);
    let counting = false;
    const cycles = new Map<string, number>();
    counter.on('message', (topic, payload) => {
      if (!counting) return;
      const machine = topic.split('/').at(-2)!;
      const lines = payload.toString('latin1').split('\n').filter((l) => l.trim()).length;
      cycles.set(machine, (cycles.get(machine) ?? 0) + lines);
    });
    await counter.subscribeAsync(`${env.QMFG_MQTT_TOPIC_PREFIX}/+/cycles`, { qos: 0 });
    await sleep(WARMUP_MS);
    const serverStart = cpuSeconds(server.pid);
    const simulatorStart = cpuSeconds(simulator.pid);
    const started = performance.now();
    counting = true;
    await sleep(WINDOW_MS);
    counting = false;
    const seconds = (performance.now() - started) / 1000;
    const serverPct = ((cpuSeconds(server.pid) - serverStart) / seconds) * 100;
    const simulatorPct = ((cpuSeconds(simulator.pid) - simulatorStart) / seconds) * 100;
    const total = [...cycles.values()].reduce((a, b) => a + b, 0);
    const producing = MACHINES.filter((m) => (cycles.get(m) ?? 0) > 0);
    const perMinute = (total / seconds) * 60;
    log(`cpu: ${seconds.toFixed(1)} s: server ${serverPct.toFixed(1)} %, simulator ${simulatorPct.toFixed(1)} % of one core; ${total} cycles (${perMinute.toFixed(0)}/min) from ${producing.length}/${MACHINES.length} machines`);
    log(`cpu: cycles per machine: ${MACHINES.map((m) => `${m} ${cycles.get(m) ?? 0}`).join(', ')}`);
    const idle = MACHINES.filter((m) => !producing.includes(m));
    if (idle.length) {
      // what the plant says about them (a lot finished by the demo's sensor data → a changeover stop, …)
      const session = await signInHttp(server.base, admin);
      const tv = await api<TvResponse>(server.base, session, `/api/tv?groups=${DEMO_GROUPS.map((g) => g.key).join(',')}`);
      for (const tile of tv.groups.flatMap((g) => g.tiles).filter((t) => idle.includes(t.machine))) {
        log(`cpu: no cycles from ${tile.machine} in the window: ${tile.state}, lot ${tile.lot ?? '—'} ${tile.produced ?? 0}/${tile.quantity ?? 0}, last cycle ${tile.lastCycleAt ? new Date(tile.lastCycleAt).toISOString() : '—'}`);
      }
    }
    return [
      { name: `cpu: serve + simulate, ${producing.length}/19 machines producing (${perMinute.toFixed(0)} cycles/min), % of one core`, value: serverPct + simulatorPct, unit: '%', target: 15 },
      { name: 'cpu: of that, qmfg serve (ingest, re-plan, events)', value: serverPct, unit: '%', target: 15 },
      { name: 'cpu: of that, qmfg simulate', value: simulatorPct, unit: '%', target: 15 },
    ];
  } finally {
    await counter.endAsync();
    await simulator?.stop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
