// New production on the Analytics page. A window that includes the present ("This shift", "Today")
// takes the event's per-machine deltas in place: each viewed machine's parts so far and its lot
// counts — the figures that move with every cycle. Its percentages, series and stops are worked out
// by the server and come with the page's fetch on the next minute (such a window ends at the
// current minute and moves on with the clock). Production on machines not viewed changes nothing
// here; a past window refetches when a viewed machine got data (an upload may fill it).
import type { LotCount, MachineOee } from '../../api/analytics.js';
import { productionDeltas } from '../../api/live.js';
import type { LiveEvent } from '../../hooks/live-events.js';
import type { WindowPreset } from './windows.js';

export interface LiveDashboardData {
  oee: MachineOee[];
  lots: LotCount[];
}

export interface LiveView {
  machines: readonly string[];
  preset: WindowPreset;
  window: { from: number; to: number };
}

/** The data with the event applied; the same data when it does not concern the view; null: fetch again. */
export function applyProductionToDashboard<T extends LiveDashboardData>(data: T, event: NonNullable<LiveEvent>, view: LiveView): T | null {
  const deltas = productionDeltas(event);
  if (!deltas) return null;
  const viewed = view.machines.filter((machine) => deltas.has(machine));
  if (viewed.length === 0) return data;
  if (view.preset !== 'today' && view.preset !== 'shift') return null;
  let oee = data.oee;
  let lots = data.lots;
  for (const machine of viewed) {
    const delta = deltas.get(machine)!;
    const parts = view.preset === 'today' ? delta.partsToday : delta.shift && delta.shift.from === view.window.from ? delta.partsShift : null;
    // the shift the server counted is not the one shown (it just changed): ask for the figures
    if (parts === null) return null;
    oee = oee.map((result) => (result.machine === machine ? { ...result, totals: { ...result.totals, parts } } : result));
    const lot = delta.lot;
    if (lot && lot.lastAt >= view.window.from) {
      const known = lots.some((l) => l.machine === lot.machine && l.lot === lot.lot);
      lots = known ? lots.map((l) => (l.machine === lot.machine && l.lot === lot.lot ? lot : l)) : [...lots, lot];
    }
  }
  return { ...data, oee, lots };
}
