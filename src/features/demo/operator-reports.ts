// The demo plant's operator reports for its back-filled days, so Analytics' losses, the Pareto, the
// reports and the handover have something to show on a fresh start: for every finished shift of the
// simulated lines, reasons for the stops of a minute and more (breaks at the plant's break times,
// changeovers where the lot changed, jams and material stops otherwise; the last finished shift
// leaves a few open, as a real one would be), a scrap entry, a crew of two, notes, submitted. Drawn
// from the machine, the stop and the shift (seeded), written in one transaction with one audit entry
// like the rest of the demo seed. The running shift is left to the operator.
import { DateTime } from 'luxon';
import type { Db } from '../../db/database.js';
import { appendAudit } from '../audit/repository.js';
import { SYSTEM } from '../audit/who.js';
import * as plantRepo from '../plant/repository.js';
import * as machineRepo from '../machine-data/repository.js';
import * as derivedRepo from '../machine-data/derived-repository.js';
import * as inputRepo from '../operator-input/repository.js';
import { ensureStoredTree } from '../operator-input/trees.js';
import { shiftsOf } from '../operator-input/shifts.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import { leafOf, pathLabel } from '../../core/losses/index.js';
import { hashOf, mulberry32 } from '../../core/random.js';
import { BREAKS } from '../../core/sensor/calibration.js';
import { MS_PER_MINUTE } from '../../core/time.js';

const UNPLANNED: readonly [string, number][] = [['pocket-jam', 0.3], ['sealer-jam', 0.15], ['film-splice', 0.2], ['waiting-material', 0.15], ['feeder-jam', 0.1], ['mechanical', 0.1]];
const NOTES = [
  'Film splice on reel 2, checked seals after it.',
  'Sealer bar 2 ran warm in the second hour; maintenance informed.',
  'Line cleared and released after the lot change.',
  'Pocket jams at the feeder, guide adjusted.',
];
const CREW = ['Ana Flores', 'Ben Carter', 'Chen Li', 'Dana Novak', 'Eli Haddad', 'Fran Osei'];

function pick(random: () => number): string {
  let r = random();
  for (const [id, weight] of UNPLANNED) if ((r -= weight) < 0) return id;
  return UNPLANNED[0][0];
}

export async function seedDemoOperatorReports(db: Db, zone: string, machines: readonly string[], from: number, now: number): Promise<{ stops: number; shifts: number }> {
  const calendar = await loadCalendarSpec(db);
  const shifts = shiftsOf(calendar, zone, from, now).filter((s) => s.start >= from && s.end <= now);
  let stops = 0;
  return db.transaction().execute(async (trx) => {
    for (const machineKey of machines) {
      const machine = await plantRepo.getMachine(trx, machineKey);
      const state = await machineRepo.getMachineState(trx, machineKey);
      if (!machine || !state) continue;
      const tree = await ensureStoredTree(trx, SYSTEM, machine.group, now);
      const segment = (gap: { start: number; end: number }, reason: string) => {
        const leaf = leafOf(tree.tree, reason)!;
        return { machine: machineKey, stopStart: gap.start, segmentStart: gap.start, stopEnd: gap.end, reasonId: leaf.id, treeVersion: tree.version, category: leaf.category, label: pathLabel(leaf.path), comment: null, enteredBy: 'demo', enteredAt: gap.end };
      };
      for (const [index, shift] of shifts.entries()) {
        const random = mulberry32(hashOf('demo-report', machineKey, shift.start));
        const lots = await derivedRepo.listLotCounts(trx, [machineKey], shift.start, shift.end);
        if (lots.length === 0) continue;
        const lastShift = index === shifts.length - 1;
        for (const gap of await derivedRepo.gapRows(trx, machineKey, shift.start, shift.end, state.maxGapMs, MS_PER_MINUTE, 500)) {
          if (lastShift && random() < 0.25) continue;
          const minute = DateTime.fromMillis(gap.start, { zone });
          const minuteOfDay = minute.hour * 60 + minute.minute;
          const atBreak = BREAKS.some(([start]) => Math.abs(minuteOfDay - start) <= 3);
          const lotChange = lots.some((l) => Math.abs(l.firstAt - gap.end) < 5 * MS_PER_MINUTE && l.firstAt > shift.start + MS_PER_MINUTE);
          const reason = atBreak ? 'break' : lotChange ? 'format-change' : pick(random);
          await inputRepo.replaceSegments(trx, machineKey, gap.start, [segment(gap, reason)]);
          stops++;
        }
        const scrapLeaf = leafOf(tree.tree, random() < 0.5 ? 'seal-defect' : 'setup-scrap')!;
        await inputRepo.insertScrap(trx, {
          machine: machineKey, shiftStart: shift.start, at: shift.end - 30 * MS_PER_MINUTE, lot: lots[0].lot, reasonId: scrapLeaf.id, treeVersion: tree.version, category: scrapLeaf.category,
          label: pathLabel(scrapLeaf.path), quantity: 20 + Math.floor(random() * 130), rework: Math.floor(random() * 20), comment: null, enteredBy: 'demo', enteredAt: shift.end,
        });
        const hours = Math.round(((shift.end - shift.start) / 3_600_000) * 100) / 100;
        const first = Math.floor(random() * CREW.length);
        await inputRepo.replaceCrew(trx, machineKey, shift.start, [CREW[first], CREW[(first + 1) % CREW.length]].map((person) => ({ person, username: null, hours, enteredBy: 'demo', enteredAt: shift.end })));
        await inputRepo.insertShiftLog(trx, machineKey, shift.start, shift.end, shift.end);
        await inputRepo.updateShiftLog(trx, machineKey, shift.start, 1, { notes: NOTES[Math.floor(random() * NOTES.length)], state: 'submitted', submittedBy: 'demo', submittedAt: shift.end }, shift.end);
      }
    }
    await appendAudit(trx, { ...SYSTEM, entity: 'site', entityKey: 'site', action: 'seed-demo-operator-reports', after: { machines, shifts: shifts.length, stops } }, now);
    return { stops, shifts: shifts.length };
  });
}
