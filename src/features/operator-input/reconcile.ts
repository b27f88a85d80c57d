// Reported counts reconcile with the camera (issue 13 item 4): when a shift report is submitted with
// the units the operator counted, and they differ from what the camera counted as produced (parts −
// reworks) in the shift by more than QMFG_RECONCILE_TOLERANCE of it, the leads of the line get a
// "reconcile" alert; a corrected, resubmitted report resolves it.
import type { Executor } from '../../db/database.js';
import * as derivedRepo from '../machine-data/derived-repository.js';
import { raiseNotice, resolveNotice, type NoticeMachine } from '../alerts/notices.js';
import type { AlertSettings } from '../alerts/engine.js';
import type { ShiftWindow } from './shifts.js';

export const RECONCILE_KIND = 'reconcile';

export interface ReconcileSettings {
  alerts: AlertSettings;
  /** share of the camera's count the report may differ by */
  tolerance: number;
}

/** Units the camera counted as produced in the shift (whole minutes: shifts start on minutes). */
export async function cameraProduced(db: Executor, machine: string, shift: ShiftWindow): Promise<number> {
  const minutes = await derivedRepo.minuteRows(db, machine, shift.start, shift.end);
  return minutes.reduce((sum, m) => sum + m.parts - m.reworks, 0);
}

export interface Reconciliation {
  reported: number;
  camera: number;
  /** |reported − camera| / camera (null when the camera counted nothing) */
  difference: number | null;
  withinTolerance: boolean;
}

export async function reconcile(db: Executor, settings: ReconcileSettings, machine: NoticeMachine, shift: ShiftWindow, reported: number | null, now: number): Promise<Reconciliation | null> {
  const subject = `${machine.key}@${new Date(shift.start).toISOString()}`;
  if (reported === null) return null;
  const camera = await cameraProduced(db, machine.key, shift);
  const difference = camera > 0 ? Math.abs(reported - camera) / camera : reported > 0 ? null : 0;
  const withinTolerance = difference !== null && difference <= settings.tolerance;
  if (withinTolerance) await resolveNotice(db, RECONCILE_KIND, subject, now);
  else {
    const apart = difference === null ? 'the camera counted nothing' : `${(difference * 100).toFixed(1)} % apart, more than ${(settings.tolerance * 100).toFixed(1)} %`;
    await raiseNotice(
      db,
      settings.alerts,
      {
        kind: RECONCILE_KIND, subject, machine, role: 'lead', since: shift.start,
        message: `${machine.name} shift ${shift.label}: reported ${reported.toLocaleString('en-US')} units, the camera counted ${camera.toLocaleString('en-US')} (${apart})`,
      },
      now,
    );
  }
  return { reported, camera, difference, withinTolerance };
}
