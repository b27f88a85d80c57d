// Live event A → B across instances (issue 17): two real `qmfg serve` processes on one database, a
// browser's SSE stream on A and one on B, work orders created through A's API. The live event A → B
// is from A's own stream having the event (it goes out there as it is published) to B's stream having
// it: the transport, B's describing and B's SSE write. Also end to end, from sending the request to A
// (its own work: the order created, the plant re-planned) until B's stream has the event.
// PostgreSQL LISTEN/NOTIFY, and MariaDB with Redis pub/sub.
import { rmSync } from 'node:fs';
import { api, demoAdminPassword, EventStream, plantFor, signIn, startInstance, stopInstance, TEST_REDIS_URL, type Instance } from '../src/server/multi-instance/instances.js';
import { dropTestDatabase } from '../src/server/multi-instance/drop-database.js';
import type { Figure } from './lib.js';

const RUNS = 60;
const WARMUP = 5;

const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(values.length * 0.95) - 1)];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(dialect: 'postgres' | 'mysql', env: Record<string, string>): Promise<{ toB: number[]; toA: number[] }> {
  const plant = plantFor(dialect, { ...env, QMFG_MQTT_URL: '', QMFG_WATCH: '0', LOG_LEVEL: 'error' });
  const instances: Instance[] = [];
  try {
    instances.push(...(await Promise.all([startInstance(plant, 'a'), startInstance(plant, 'b')])));
    const [a, b] = instances;
    const session = await signIn(a, 'admin', demoAdminPassword(instances));
    const onA = await EventStream.open(a, session);
    const onB = await EventStream.open(b, session);
    const toB: number[] = [];
    const toA: number[] = [];
    const tag = Date.now() % 100_000;
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const lot = `BE${tag}-${i}`;
      const ours = (m: { event: string; data: string }) => m.event === 'schedule' && m.data.includes(`"lot":"${lot}"`);
      const sentAt = Date.now();
      const created = await api(a, session, 'POST', '/api/work-orders', { lot, product: 'strep-a-plus', quantity: 1000, due: null });
      if (created.status !== 201) throw new Error(`work order answered ${created.status}: ${JSON.stringify(created.body)}`);
      const [seenB, seenA] = await Promise.all([onB.next(ours, 5000, `event ${i} on B`), onA.next(ours, 5000, `event ${i} on A`)]);
      if (i >= WARMUP) {
        toB.push(seenB.receivedAt - sentAt);
        toA.push(seenA.receivedAt - sentAt);
      }
    }
    onA.close();
    onB.close();
    return { toB, toA };
  } finally {
    await Promise.all(instances.map((instance) => stopInstance(instance)));
    await dropTestDatabase(dialect, plant.databaseUrl).catch(() => undefined);
    rmSync(plant.dropDir, { recursive: true, force: true });
  }
}

export default async function eventsBench(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const [label, dialect, env] of [
    ['PostgreSQL LISTEN/NOTIFY', 'postgres', {}],
    ['MariaDB + Redis pub/sub', 'mysql', { QMFG_REDIS_URL: TEST_REDIS_URL }],
  ] as const) {
    const { toB, toA } = await measure(dialect, env);
    const added = toB.map((ms, i) => ms - toA[i]);
    figures.push(
      // the event as it goes out on A (A's own stream has it then) until B's stream has it: the transport, B's describing, B's SSE write
      { name: `live event A → B p95, ${label} (A's own stream → B's stream)`, value: p95(added), unit: 'ms', target: 100 },
      { name: `live event A → B median, ${label}`, value: median(added), unit: 'ms', target: 100 },
      // end to end as a user sees it, with the work order's own creation on A (the acceptance: within 1 s)
      { name: `  work order request sent to A → B's stream, p95 (${label})`, value: p95(toB), unit: 'ms', target: 1000 },
    );
  }
  return figures;
}
