// What the Analytics page loads: the plant (machines, products, profiles, calendar) once, and per
// view (machines × window × profile × grouping) the OEE, shift results, stops, lots and the loss
// model — in parallel, as one answer the page caches and applies live events to.
import type { CalendarSpec } from '../../../../src/core/calendar/index.js';
import type { Machine, Product } from '../../../../src/features/plant/schemas.js';
import { MS_PER_DAY } from '../../../../src/core/time.js';
import { getCalendar } from '../../api/calendar.js';
import { listMachines, listProcessGroups, listProducts } from '../../api/plant.js';
import { getLosses, getOee, listLots, listProfiles, listStops, type LossesResponse, type LotCount, type MachineOee, type OeeResult, type ProfileView, type Stop } from '../../api/analytics.js';
import { machineSections } from './controls.js';
import { LISTED_STOP_MIN_SECONDS } from './targets.js';
import { calendarSpecOf, type GroupBy } from './windows.js';

/** Shift buckets for longer windows make a table nobody reads (and cost the server). */
const SHIFT_TABLE_MAX_MS = 31 * MS_PER_DAY;
/** Stops on screen: the longest ones; the workbook gets every stop the server listed. */
export const STOPS_SHOWN = 200;

export interface PlantData {
  machines: Machine[];
  sections: ReturnType<typeof machineSections>;
  products: Product[];
  profiles: ProfileView[];
  calendar: CalendarSpec;
}

export async function loadPlant(): Promise<PlantData> {
  const [groups, machines, products, profiles, calendar] = await Promise.all([listProcessGroups(), listMachines(), listProducts(), listProfiles(), getCalendar()]);
  return {
    machines,
    sections: machineSections(groups, machines),
    products,
    profiles,
    calendar: calendarSpecOf(calendar),
  };
}

export interface DashboardData {
  oee: MachineOee[];
  /** per machine, the results per calendar shift; null when the window is too long for a shift table */
  shifts: Map<string, OeeResult[]> | null;
  stops: Map<string, { stops: Stop[]; truncated: boolean }>;
  lots: LotCount[];
  /** the loss model of the window; null (with lossesError) when it could not be loaded: the rest still shows */
  losses: LossesResponse | null;
  lossesError: Error | null;
}

export interface ViewRequest {
  machines: string[];
  from: number;
  to: number;
  profile: string;
  groupBy: GroupBy;
}

export async function loadDashboard(view: ViewRequest): Promise<DashboardData> {
  const common = { machines: view.machines, from: view.from, to: view.to, profile: view.profile || undefined };
  const wantShifts = view.to - view.from <= SHIFT_TABLE_MAX_MS;
  const [oee, shiftResults, lots, stopLists, losses] = await Promise.all([
    getOee({ ...common, groupBy: view.groupBy }),
    wantShifts && view.groupBy !== 'shift' ? getOee({ ...common, groupBy: 'shift' }) : Promise.resolve(null),
    listLots(common),
    Promise.all(view.machines.map((machine) => listStops({ machine, from: view.from, to: view.to, minSeconds: LISTED_STOP_MIN_SECONDS, profile: common.profile }))),
    getLosses(common).then(
      (answer) => ({ answer, error: null }),
      (error: unknown) => ({ answer: null, error: error instanceof Error ? error : new Error(String(error)) }),
    ),
  ]);
  const shiftSource = view.groupBy === 'shift' ? oee.machines : shiftResults?.machines;
  return {
    oee: oee.machines,
    shifts: wantShifts && shiftSource ? new Map(shiftSource.map((m) => [m.machine, m.series])) : null,
    stops: new Map(view.machines.map((machine, index) => [machine, stopLists[index]])),
    lots: lots.lots,
    losses: losses.answer,
    lossesError: losses.error,
  };
}
