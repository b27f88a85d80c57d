// Operator reports (issue 13): the operator screen's data for one shift (target < 50 ms) and the
// loss waterfall of a month for the demo plant's 19 machines (target < 100 ms), on SQLite. Data: a
// month of derived machine data per machine (one real line-day, Line7/PR20221013.txt, repeated —
// src/testing/derived-year.ts), with operators' reasons on 40 long stops a day of line7 and scrap on
// every shift. Baseline in the same run: the plain OEE of the same month and machines (what the
// waterfall adds on top), so a noisy machine shows as both figures moving.
import { DateTime } from 'luxon';
import { createTestApp } from '../src/testing/app.js';
import { fillDerivedDays } from '../src/testing/derived-year.js';
import * as plantRepo from '../src/features/plant/repository.js';
import * as derivedRepo from '../src/features/machine-data/derived-repository.js';
import { machinesOee } from '../src/features/oee/service.js';
import { lossesOf } from '../src/features/oee/losses.js';
import { operatorView } from '../src/features/shift-reports/operator-view.js';
import { currentTree } from '../src/features/operator-input/trees.js';
import { setStopReasons } from '../src/features/operator-input/stop-reasons.js';
import { addScrap } from '../src/features/operator-input/shift-log.js';
import { activeLeaves, isScrapCategory, isStopCategory } from '../src/core/losses/index.js';
import { alternate, sample, type Figure } from './lib.js';

const ZONE = 'America/Los_Angeles';
const START = Date.UTC(2025, 5, 1);
const DAYS = 31;

export default async function operatorBench(): Promise<Figure[]> {
  const t = await createTestApp('sqlite', 'bench_operator', { env: { QMFG_TZ: ZONE } });
  try {
    const db = t.database.db;
    const machines = (await plantRepo.listMachines(db)).map((m) => m.key);
    if (machines.length !== 19) throw new Error(`the demo plant has ${machines.length} machines, the bench expects 19`);
    process.stderr.write(`operator bench: filling ${DAYS} days × ${machines.length} machines of derived data…\n`);
    await fillDerivedDays(db, { machines, start: START, days: DAYS });
    const who = { actor: t.admin.username, source: 'bench' };
    const tree = (await currentTree(db, 'pouching-itrak')).tree;
    const stopLeaves = activeLeaves(tree).filter((l) => isStopCategory(l.category));
    const scrapLeaf = activeLeaves(tree).find((l) => isScrapCategory(l.category))!;
    // reasons on the long stops of line7 (as operators would give them) and a scrap entry per shift
    const state = await (await import('../src/features/machine-data/repository.js')).getMachineState(db, 'line7');
    const gaps = await derivedRepo.gapRows(db, 'line7', START, START + DAYS * 86_400_000, state!.maxGapMs, 120_000, 10_000);
    let given = 0;
    for (const [i, gap] of gaps.entries()) {
      await setStopReasons(db, who, ZONE, 'line7', gap.start, [{ start: gap.start, reason: stopLeaves[i % stopLeaves.length].id }]);
      given++;
    }
    const lot = (await derivedRepo.listLotCounts(db, ['line7'], START, START + 86_400_000))[0]?.lot;
    const shiftStart = DateTime.fromMillis(START + 14 * 86_400_000, { zone: ZONE }).set({ hour: 6, minute: 30 }).toMillis();
    if (lot) await addScrap(db, who, ZONE, { machine: 'line7', shiftStart }, { lot, reason: scrapLeaf.id, quantity: 120, rework: 10 }, shiftStart + 3_600_000);
    process.stderr.write(`operator bench: ${given} stop reasons given on line7\n`);

    const monthFrom = DateTime.fromMillis(START, { zone: ZONE }).startOf('day').plus({ days: 1 }).toMillis();
    const monthTo = DateTime.fromMillis(monthFrom, { zone: ZONE }).plus({ days: 28 }).toMillis();
    const now = monthTo + 86_400_000;
    // baseline and waterfall alternate, so the noise of a shared machine falls on both alike
    const oeeMonth = () => machinesOee(db, ZONE, { machines, from: monthFrom, to: monthTo, profile: 'iso22400' }, now);
    let steps = 0;
    const lossMonth = async () => {
      steps = (await lossesOf(db, ZONE, { machines, from: monthFrom, to: monthTo, profile: 'iso22400' }, now)).total.steps.length;
    };
    const [baseline, waterfall] = await alternate([oeeMonth, lossMonth], 15, 2);
    if (steps === 0) throw new Error('the waterfall has no steps: the fixture is wrong');
    const signatures = async () => [];
    let stops = 0;
    const screen = await sample(async () => {
      stops = (await operatorView(db, 'line7', { zone: ZONE, promptSeconds: 60, shiftStart, now: shiftStart + 9 * 3_600_000, signatures })).stops.length;
    }, 20, 3);
    if (stops === 0) throw new Error('the operator screen shows no stops: the fixture is wrong');
    process.stderr.write(`operator bench: baseline OEE month × 19 median ${baseline.median.toFixed(1)} ms; waterfall median ${waterfall.median.toFixed(1)} ms; operator screen ${stops} stops median ${screen.median.toFixed(1)} ms\n`);
    return [
      { name: `operator: screen data for a shift (line7, ${stops} stops; median)`, value: screen.median, unit: 'ms', target: 50 },
      { name: 'operator: loss waterfall, month × 19 machines (median)', value: waterfall.median, unit: 'ms', target: 100 },
      { name: 'operator: baseline — plain OEE, month × 19 machines (median)', value: baseline.median, unit: 'ms', target: 100 },
    ];
  } finally {
    await t.close();
  }
}
