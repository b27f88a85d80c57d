// Concurrent board moves on every database: 10 planners each moving their own lot between two
// machines' queues (append, insert at the head, drop at a position) for a while. No move may fail
// (no deadlock, no serialisation failure reaching the client) and every machine's queue must be
// dense (0..n-1) and unique afterwards. QMFG_MOVERS_SECONDS shortens the run (default 20 s).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { runMovers } from '../../testing/movers.js';

const MOVERS = 10;
const SECONDS = Number(process.env.QMFG_MOVERS_SECONDS ?? 20);
const MACHINES = ['line7', 'line8'];

describe.each(DIALECTS)('concurrent board moves on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, 'moves');
  });
  afterAll(async () => t?.close());

  it(`${MOVERS} concurrent movers for ${SECONDS} s: no errors, every queue dense and unique`, { timeout: (SECONDS + 60) * 1000 }, async () => {
    const { moves, seconds, failures, lots } = await runMovers(t, { movers: MOVERS, seconds: SECONDS, machines: MACHINES });
    console.log(`${dialect}: ${moves} moves by ${MOVERS} movers in ${seconds.toFixed(1)} s = ${(moves / seconds).toFixed(1)} moves/s, ${failures.length} failed`);
    expect(failures.slice(0, 5)).toEqual([]);
    expect(moves).toBeGreaterThan(0);

    const rows = await t.database.db
      .selectFrom('operations')
      .select(['machine_key', 'position', 'lot', 'step', 'state'])
      .where('state', 'in', ['queued', 'running', 'held'])
      .execute();
    const byMachine = new Map<string, number[]>();
    for (const r of rows) {
      expect(r.machine_key, `${r.lot}/${r.step} is ${r.state} without a machine`).not.toBeNull();
      byMachine.set(r.machine_key!, [...(byMachine.get(r.machine_key!) ?? []), Number(r.position)]);
    }
    for (const [machine, positions] of byMachine) {
      expect(positions.sort((a, b) => a - b), `queue of ${machine}`).toEqual(positions.map((_, i) => i));
    }
    // every mover's lot is on exactly one of the two queues
    const ours = rows.filter((r) => lots.includes(r.lot));
    expect(ours.length).toBe(MOVERS);
  });
});
