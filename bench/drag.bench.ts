// One drag on the planning board, end to end on SQLite: POST a load with mode 'position' through the
// API → transaction with the queue change, audit entry and full re-plan → forecasts written → the
// live event published (what /api/events streams to open screens). The demo plant with 300 work
// orders of two steps spread over its pouching and kitting machines.
import { DateTime } from 'luxon';
import { DEMO_MACHINES, DEMO_PRODUCTS } from '../src/features/demo/plant.js';
import { replan } from '../src/features/orders/planner.js';
import * as repo from '../src/features/orders/repository.js';
import { createTestApp } from '../src/testing/app.js';
import type { Figure } from './lib.js';

const WORK_ORDERS = 300;
const DRAGS = 50;
const WARMUP = 5;

/** small deterministic generator (LCG), so every run drags the same jobs to the same places */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}

export default async function dragBench(): Promise<Figure[]> {
  const t = await createTestApp('sqlite', 'bench-drag');
  try {
    const { db } = t.database;
    const zone = t.database.config.QMFG_TZ;
    const now = Date.now();
    const random = seeded(4_2026);
    const machinesOf = (group: string) => DEMO_MACHINES.filter((m) => m.group === group).map((m) => m.key);
    const queueLength = new Map<string, number>();
    const lots: { lot: string; group: string }[] = [];
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < WORK_ORDERS; i++) {
        const product = DEMO_PRODUCTS[i % DEMO_PRODUCTS.length];
        const lot = String(160_000 + i);
        const due = DateTime.fromMillis(now, { zone }).plus({ days: 5 + Math.floor(random() * 120) }).startOf('day').toMillis();
        await repo.insertWorkOrder(
          trx,
          { lot, product_key: product.key, quantity: 20_000 + Math.floor(random() * 80_000), due, priority: 0, notes: '', rate_mode: null },
          product.routing.length,
          now,
        );
        for (const [step, routingStep] of product.routing.entries()) {
          const choices = machinesOf(routingStep.group);
          const machine = choices[Math.floor(random() * choices.length)];
          const position = queueLength.get(machine) ?? 0;
          queueLength.set(machine, position + 1);
          await repo.updateOperation(trx, lot, step, { machine_key: machine, position, state: position === 0 ? 'running' : 'queued' });
        }
        lots.push({ lot, group: product.routing[0].group });
      }
      await replan(trx, zone, now);
    });

    let publishedAt = 0;
    const unsubscribe = t.events.subscribe((event) => {
      if (event.topic === 'schedule') publishedAt = performance.now();
    });
    const times: number[] = [];
    try {
      for (let i = 0; i < WARMUP + DRAGS; i++) {
        const { lot, group } = lots[Math.floor(random() * lots.length)];
        const choices = machinesOf(group);
        const machine = choices[Math.floor(random() * choices.length)];
        const position = Math.floor(random() * ((queueLength.get(machine) ?? 0) + 1));
        publishedAt = 0;
        const started = performance.now();
        const res = await t.app.inject({ method: 'POST', url: `/api/work-orders/${lot}/operations/0/load`, payload: { machine, mode: 'position', position } });
        if (res.statusCode !== 200) throw new Error(`drag of ${lot} to ${machine}@${position} answered ${res.statusCode}: ${res.body}`);
        if (publishedAt === 0) throw new Error(`drag of ${lot}: no live event was published`);
        if (i >= WARMUP) times.push(publishedAt - started);
      }
    } finally {
      unsubscribe();
    }
    times.sort((a, b) => a - b);
    const p95 = times[Math.ceil(times.length * 0.95) - 1];
    const median = times[Math.floor(times.length / 2)];
    process.stderr.write(`drag: ${WORK_ORDERS} work orders, ${DRAGS} drags, median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms\n`);
    return [{ name: 'schedule: one drag (API → re-plan → persisted → SSE sent) p95', value: Number(p95.toFixed(2)), unit: 'ms', target: 50 }];
  } finally {
    await t.close();
  }
}
