// Leases on all three databases: one runner per job among instances, takeover after the holder stops
// renewing (it died), immediate handover when it shuts down cleanly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../testing/databases.js';
import { LeaseKeeper, type LeasedJob } from './leases.js';
import { listLeases } from './repository.js';

const quiet = { info: () => undefined, error: () => undefined };
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A job that records on which instance it runs. */
function countingJob(name: string, log: string[], instance: string): LeasedJob {
  return {
    name,
    async start() {
      log.push(`start ${instance}`);
      return { close: async () => void log.push(`stop ${instance}`) };
    },
  };
}

describe.each(DIALECTS)('job leases on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(dialect, 'leases');
  });
  afterAll(async () => {
    await database.destroy();
  });

  it('runs a job on one instance only, and moves it when the holder stops renewing', async () => {
    const log: string[] = [];
    const options = { db: database.db, dialect, ttlMs: 1200, renewMs: 200, log: quiet };
    // A takes the lease once and then never renews: it died
    const dead = new LeaseKeeper({ ...options, holder: 'A', jobs: [countingJob('watcher', log, 'A')] });
    await dead.tick();
    expect(dead.held()).toEqual(['watcher']);
    const alive = new LeaseKeeper({ ...options, holder: 'B', jobs: [countingJob('watcher', log, 'B')] });
    await alive.start();
    const startedAt = Date.now();
    await wait(500);
    expect(alive.held()).toEqual([]);
    while (alive.held().length === 0 && Date.now() - startedAt < 5000) await wait(50);
    const tookMs = Date.now() - startedAt;
    expect(alive.held()).toEqual(['watcher']);
    // not before the dead holder's lease ran out, and within ttl + one renewal (+ slack for a slow database)
    expect(tookMs).toBeGreaterThanOrEqual(700);
    expect(tookMs).toBeLessThan(1200 + 200 + 800);
    expect(log).toEqual(['start A', 'start B']);
    // the dead one, if it came back, finds the lease gone and stops its copy
    await dead.tick();
    expect(dead.held()).toEqual([]);
    expect(log).toEqual(['start A', 'start B', 'stop A']);
    await alive.close();
    const [row] = await listLeases(database.db);
    expect(row).toMatchObject({ name: 'watcher', holder: '' });
  });

  it('two instances racing for free leases split nothing twice; a clean shutdown hands over at once', async () => {
    const log: string[] = [];
    const options = { db: database.db, dialect, ttlMs: 60_000, renewMs: 100, log: quiet };
    const names = ['retention', 'alerts', 'simulator'];
    const first = new LeaseKeeper({ ...options, holder: 'C', jobs: names.map((n) => countingJob(n, log, `C ${n}`)) });
    const second = new LeaseKeeper({ ...options, holder: 'D', jobs: names.map((n) => countingJob(n, log, `D ${n}`)) });
    await Promise.all([first.start(), second.start()]);
    await wait(300);
    const held = [...first.held(), ...second.held()].sort();
    expect(held).toEqual([...names].sort());
    // long TTL: only the release on close lets the other take them
    const fromFirst = first.held();
    await first.close();
    const closedAt = Date.now();
    while (second.held().length < names.length && Date.now() - closedAt < 3000) await wait(20);
    expect(second.held()).toEqual([...names].sort());
    expect(Date.now() - closedAt).toBeLessThan(2000);
    expect(log.filter((l) => l.startsWith('start')).length).toBe(names.length + fromFirst.length);
    await second.close();
  });
});
