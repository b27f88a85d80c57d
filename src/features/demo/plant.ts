// The demo plant, modelled on the original: iTrak pouching lines 6–11, dipstick lines A–H, two swab
// pouchers, three kitting lines, and a QC-release gate after pouching.
import type { WeekPattern } from '../../core/calendar/index.js';
import type { MachineCreate, ProcessGroupCreate, ProductCreate, RoutingStep } from '../plant/schemas.js';

export const DEMO_GROUPS: ProcessGroupCreate[] = [
  { key: 'pouching-itrak', name: 'Pouching – iTrak', sortOrder: 1 },
  { key: 'pouching-dipstick', name: 'Pouching – Dipstick', sortOrder: 2 },
  { key: 'swab', name: 'Swab pouchers', sortOrder: 3 },
  { key: 'kitting', name: 'Kitting', sortOrder: 4 },
];

const machine = (key: string, name: string, group: string, sortOrder: number, oeeProfile = 'itrak-legacy'): MachineCreate => ({
  key, name, group, sortOrder, oeeProfile, enabled: true, dataFolder: null,
});

export const DEMO_MACHINES: MachineCreate[] = [
  ...[6, 7, 8, 9, 10, 11].map((n, i) => machine(`line${n}`, `Line ${n}`, 'pouching-itrak', i)),
  ...'ABCDEFGH'.split('').map((l, i) => machine(`dip-${l.toLowerCase()}`, `Dipstick ${l}`, 'pouching-dipstick', i, 'iso22400')),
  ...[1, 2].map((n, i) => machine(`swab${n}`, `Swab poucher ${n}`, 'swab', i, 'iso22400')),
  ...[1, 2, 3].map((n, i) => machine(`kit${n}`, `Kitting ${n}`, 'kitting', i, 'iso22400')),
];

/** The machines the living demo simulates (QMFG_DEMO_LIVE): the iTrak lines. */
export const DEMO_LIVE_MACHINES: readonly string[] = DEMO_MACHINES.filter((m) => m.group === 'pouching-itrak').map((m) => m.key);

/** The demo operator's lines: two iTrak lines (in this plant a line is a machine). */
export const DEMO_OPERATOR_LINES = ['line7', 'line8'];

/** Machines that get synthetic sensor logs in the demo (the two lines of the real sample data and two more). */
export const DEMO_SENSOR_MACHINES = ['line7', 'line8', 'line9', 'line10'];

const qcRelease = { name: 'QC release', hours: 24, role: 'quality' as const };
const pouching = (group: string, ratePerHour: number): RoutingStep => ({ group, ratePerHour, setupMinutes: 30, gate: qcRelease });
const kitting: RoutingStep = { group: 'kitting', ratePerHour: 4000, setupMinutes: 20, gate: null };

export const DEMO_PRODUCTS: ProductCreate[] = [
  { key: 'flu-ab', name: 'Flu A/B FIA', shortName: 'Flu A/B', itemNumber: '1169100', color: '#2f6fde', family: 'flu', routing: [pouching('pouching-itrak', 5000), kitting] },
  { key: 'flu-sars', name: 'Flu+SARS FIA', shortName: 'ABC', itemNumber: '1451300', color: '#8e44ad', family: 'flu', routing: [pouching('pouching-itrak', 5000), kitting] },
  { key: 'strep-a-plus', name: 'Strep A+ FIA', shortName: 'Strep A+', itemNumber: '1330700', color: '#d35400', family: 'strep', routing: [pouching('pouching-itrak', 5000), kitting] },
  { key: 'sars-ag', name: 'SARS Antigen FIA', shortName: 'SARS Ag', itemNumber: '1440700', color: '#16a085', family: 'covid', routing: [pouching('pouching-itrak', 5000), kitting] },
  { key: 'rsv', name: 'RSV FIA', shortName: 'RSV', itemNumber: '1175000', color: '#7a4b24', family: 'rsv', routing: [pouching('pouching-itrak', 5000), kitting] },
  { key: 'strep-a-inline', name: 'Strep A Inline', shortName: 'Strep Inl', itemNumber: '1094000', color: '#b7950b', family: 'strep', routing: [pouching('pouching-dipstick', 3500), kitting] },
];

/**
 * The iTrak lines' changeover matrix (issue 15): any change of family 45 min (film and labels), a flu
 * → strep change 90 and strep → flu 120 (a line clearance between assay families), anything after
 * covid 150 (a full clean-down). Same family: none.
 */
export const DEMO_CHANGEOVERS: { group: string; rules: { from: string; to: string; minutes: number }[] }[] = [
  {
    group: 'pouching-itrak',
    rules: [
      { from: '*', to: '*', minutes: 45 },
      { from: 'flu', to: 'strep', minutes: 90 },
      { from: 'strep', to: 'flu', minutes: 120 },
      { from: 'covid', to: '*', minutes: 150 },
    ],
  },
];

const twoShifts: [string, string][] = [
  ['06:30', '14:45'],
  ['14:45', '23:00'],
];
/** Mon–Sun 06:30–23:00 in two shifts. */
export const DEMO_WEEK: WeekPattern = {
  mon: twoShifts, tue: twoShifts, wed: twoShifts, thu: twoShifts, fri: twoShifts, sat: twoShifts, sun: twoShifts,
};
