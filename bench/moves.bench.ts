// Board moves with 10 concurrent planners on each database: each moves its own lot between two
// machines' queues (append / insert / position) through the API for 8 s; every move is a
// transaction with the queue change, audit entry and full re-plan. Figures: time per move (wall
// time / moves, so 1000 / moves per second) and failed moves (deadlocks used to fail most of them).
import { createTestApp } from '../src/testing/app.js';
import { DIALECTS } from '../src/testing/databases.js';
import { runMovers } from '../src/testing/movers.js';
import type { Figure } from './lib.js';

const MOVERS = 10;
const SECONDS = 8;

export default async function movesBench(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const dialect of DIALECTS) {
    const t = await createTestApp(dialect, 'bench-moves');
    try {
      const { moves, seconds, failures } = await runMovers(t, { movers: MOVERS, seconds: SECONDS });
      const perSecond = moves / seconds;
      figures.push({ name: `move, ${MOVERS} concurrent movers, ${dialect} (${perSecond.toFixed(1)} moves/s)`, value: (seconds * 1000) / Math.max(1, moves), unit: 'ms', target: 100 });
      figures.push({ name: `failed moves, ${MOVERS} concurrent movers, ${dialect}`, value: failures.length, unit: '', target: 1 });
    } finally {
      await t.close();
    }
  }
  return figures;
}
