// A signed shift report is locked: what it reports (stop reasons, scrap, crew, notes) cannot change
// until a lead reopens it — the controlled, audited way back (shift-log.ts).
import type { Executor } from '../../db/database.js';
import { Conflict } from '../../core/errors.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import * as repo from './repository.js';
import { shiftsOf, type ShiftWindow } from './shifts.js';

export class SignedShiftLocked extends Conflict {
  override readonly code = 'shift_signed';
}

const when = (shift: ShiftWindow) => shift.label;

/** Refuses (409) when the shift report of `machine` for `shift` is signed. */
export async function assertShiftOpen(db: Executor, machine: string, shift: ShiftWindow): Promise<void> {
  const log = await repo.getShiftLog(db, machine, shift.start);
  if (log?.state === 'signed') {
    throw new SignedShiftLocked(`the shift report of ${machine} for ${when(shift)} is signed by ${log.signedBy}: a lead must reopen it before anything in it changes`);
  }
}

/** Refuses (409) when `instant` lies in a shift whose report for `machine` is signed. */
export async function assertInstantOpen(db: Executor, zone: string, machine: string, instant: number): Promise<void> {
  const calendar = await loadCalendarSpec(db);
  for (const shift of shiftsOf(calendar, zone, instant, instant + 1)) {
    if (shift.start <= instant && instant < shift.end) await assertShiftOpen(db, machine, shift);
  }
}
