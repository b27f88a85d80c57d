// A year's control chart of a channel (issue 14 target: < 100 ms from the derived statistics): a
// year of per-minute statistics (525 600 rows) and their hourly roll-up stored on SQLite, frozen
// limits, then GET …/spc's service over 365 days. Beside it, in the same run: reading the year's
// minutes (what the chart would cost without the roll-up).
import { createTestDatabase } from '../src/testing/databases.js';
import { seedDatabase } from '../src/features/demo/seed.js';
import { createChannel, minuteStats } from '../src/features/measurements/service.js';
import { addToHours, addToMinutes } from '../src/features/measurements/repository.js';
import { insertLimits } from '../src/features/spc/repository.js';
import { channelChart } from '../src/features/spc/service.js';
import { mulberry32 } from '../src/core/random.js';
import { sample, type Figure } from './lib.js';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

export default async function run(): Promise<Figure[]> {
  const database = await createTestDatabase('sqlite', 'spc-bench');
  try {
    await seedDatabase(database.db, database.config, true);
    const channel = await createChannel(database.db, { actor: 'bench' }, 'line9', {
      key: 'film', name: 'Film thickness', quantity: 'thickness', unit: 'mm', target: 0.125, lsl: 0.121, usl: 0.129, samplePeriodSeconds: 10, source: { kind: 'mqtt' },
    });
    const to = Math.floor(Date.now() / DAY) * DAY;
    const from = to - 365 * DAY;
    const random = mulberry32(14);
    // six readings a minute around 0.125 mm with a slow wander
    let wander = 0;
    for (let day = from; day < to; day += DAY) {
      const minutes: { minute: number; n: number; sum: number; sumSq: number; min: number; max: number }[] = [];
      for (let m = day; m < day + DAY; m += MINUTE) {
        wander = 0.95 * wander + 0.0001 * (random() - 0.5);
        const mean = 0.125 + wander;
        const values = Array.from({ length: 6 }, () => mean + 0.0005 * (random() - 0.5));
        minutes.push({ minute: m, n: 6, sum: values.reduce((a, b) => a + b, 0), sumSq: values.reduce((a, b) => a + b * b, 0), min: Math.min(...values), max: Math.max(...values) });
      }
      await database.db.transaction().execute(async (trx) => {
        await addToMinutes(trx, channel.id, minutes);
        await addToHours(trx, channel.id, minutes);
      });
    }
    await insertLimits(database.db, {
      channelId: channel.id, version: 1, subgroupMinutes: 5, rules: 'none', centre: 0.125, sigmaOfMeans: 0.0005, sigmaWithin: 0.00015, degreesOfFreedom: 500, ewmaSd: 0.0003,
      lambda: 0.2, width: 3.5, subgroups: 500, baselineFrom: from, baselineTo: from + 3 * DAY, createdBy: 'bench', createdAt: Date.now(), reason: 'bench',
    });
    let points = 0;
    const chart = await sample(async () => {
      points = (await channelChart(database.db, 'line9', 'film', { from, to }, to)).points.length;
    }, 15, 3);
    const minutes = await sample(async () => {
      await minuteStats(database.db, channel.id, from, to);
    }, 5, 1);
    process.stderr.write(`year chart: ${points} points (hourly subgroups); reading the year's 525 600 minutes instead: p50 ${minutes.median.toFixed(0)} ms\n`);
    return [
      { name: `control chart of a year from the derived statistics (SQLite, p95; ${points} points)`, value: chart.p95, unit: 'ms', target: 100 },
      { name: 'baseline: the same year read as 525 600 minute rows (median, no target)', value: minutes.median, unit: 'ms', target: 60_000 },
    ];
  } finally {
    await database.destroy();
  }
}
