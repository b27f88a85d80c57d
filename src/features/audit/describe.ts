// An audit entry in the words of the screens, for a reviewer: "Due: Sat 5 Dec 2026 → Mon 7 Dec 2026",
// "Step 1", "Queue position: 1 → 3", "Machine: Line 7", "Fri: 06:30–14:45, 14:45–23:00 → 06:30–14:45,
// 14:45–20:00". Pure (no I/O, no web imports): the audit page and the .xlsx/CSV exports both use it,
// so what a reviewer reads on screen is what the file says. Unknown fields read as "Label: value",
// never as JSON.
import { DateTime } from 'luxon';
import { dueDay } from '../../core/due.js';
import { parseHHMM } from '../../core/calendar/working-time.js';
import { WEEKDAYS, type Weekday } from '../../core/calendar/types.js';

export interface DescribeContext {
  /** the plant's IANA zone: every instant is shown plant-local with its zone abbreviation */
  zone: string;
  /** machine key → name, product key → name: names are shown instead of keys where known */
  machineNames?: ReadonlyMap<string, string>;
  productNames?: ReadonlyMap<string, string>;
}

export interface DescribableEntry {
  entity?: string;
  action: string;
  before: unknown;
  after: unknown;
}

const RECORD_LABELS: Record<string, string> = {
  'work-order': 'Work order',
  machine: 'Machine',
  product: 'Product',
  'process-group': 'Process group',
  calendar: 'Calendar',
  holiday: 'Holiday',
  'oee-profile': 'OEE profile',
  stop: 'Stop',
  schedule: 'Schedule',
  user: 'User',
  site: 'Site',
  ingest: 'Machine data',
  'changeover-matrix': 'Changeover matrix',
  'reason-tree': 'Stop reasons',
  scenario: 'What-if scenario',
  'alert-rule': 'Alert rule',
  alert: 'Alert',
  'sensor-file': 'Sensor file',
  'shift-log': 'Shift report',
  'tv-device': 'TV screen',
  'operation-gate': 'Gate',
  system: 'System',
};

const ACTION_LABELS: Record<string, string> = {
  create: 'Created',
  update: 'Changed',
  delete: 'Deleted',
  'load-append': 'Loaded (end of queue)',
  'load-insert': 'Loaded (next after the running job)',
  'load-replace': 'Loaded (replacing the running job)',
  'load-position': 'Moved in the queue',
  park: 'Back to the parking lot',
  hold: 'Held',
  release: 'Released from hold',
  close: 'Step closed',
  counts: 'Counts reported',
  'pass-gate': 'Gate signed',
  'close-work-order': 'Work order closed and signed',
  'update-default': 'Default week changed',
  'override-week': 'Week changed (this week only)',
  'reset-week': 'Week back to the default',
  reason: 'Stop reason given',
  replan: 'Re-planned',
  'sign-in': 'Signed in',
  'sign-out': 'Signed out',
  'password-reset': 'Password reset',
  unlock: 'Unlocked',
  'accept-suggestion': 'Suggested plan accepted',
  'last-family': 'Last family set',
  publish: 'Published into the live plan',
  pin: 'Pinned (the optimiser keeps it)',
  unpin: 'Unpinned',
  'undo-import': 'Import taken back',
  acknowledge: 'Acknowledged',
  pause: 'Paused',
  resume: 'Resumed',
  reopen: 'Reopened',
  submit: 'Submitted',
  sign: 'Signed',
  revoke: 'Revoked',
  'clock-step': 'Clock stepped',
};

/** "work-order" → "Work order" (unknown kinds read as words). */
export const recordLabel = (entity: string): string => RECORD_LABELS[entity] ?? sentence(entity);
/** "load-append" → "Loaded (end of queue)". */
export const actionLabel = (action: string): string => ACTION_LABELS[action] ?? sentence(action);

/** Labels of the fields as the screens name them; anything else becomes words from its key. */
const FIELD_LABELS: Record<string, string> = {
  lot: 'Lot',
  product: 'Product',
  product_key: 'Product',
  quantity: 'Quantity',
  due: 'Due',
  priority: 'Priority',
  notes: 'Notes',
  rateMode: 'Rate for forecasts',
  rate_mode: 'Rate for forecasts',
  state: 'State',
  machine: 'Machine',
  machine_key: 'Machine',
  position: 'Queue position',
  produced: 'Produced',
  good: 'Good',
  scrap: 'Scrap',
  gate: 'Gate',
  passed: 'Passed',
  meaning: 'Meaning of the signature',
  signer: 'Signed by',
  status: 'Status',
  openSteps: 'Steps still open',
  comment: 'Comment',
  reason: 'Reason',
  changed: 'Operations re-planned',
  unplanned: 'Operations not planned',
  name: 'Name',
  shortName: 'Short name',
  itemNumber: 'Item number',
  color: 'Colour',
  group: 'Process group',
  enabled: 'Enabled',
  oeeProfile: 'OEE profile',
  maxCycleSeconds: 'Longest normal cycle',
  availabilityLossSeconds: 'Stops count as downtime from',
  idealRatePerMinute: 'Ideal rate',
  stopBinsSeconds: 'Stop classes from',
  basis: 'Loading time',
  ratePerHour: 'Standard rate',
  setupMinutes: 'Setup',
  sortOrder: 'Order on screen',
  timezone: 'Time zone',
  defaultRateMode: 'Default rate for forecasts',
  role: 'Role',
  displayName: 'Name',
  username: 'User name',
  active: 'Active',
  mustChange: 'Must change password',
  version: 'Version',
  createdAt: 'Created',
  updatedAt: 'Changed',
  created_at: 'Created',
  updated_at: 'Changed',
  actualStart: 'Started',
  actualEnd: 'Ended',
  forecastStart: 'Forecast start',
  forecastEnd: 'Forecast end',
  date: 'Date',
  file: 'File',
  cycles: 'Cycles',
};

const STATE_WORDS: Record<string, string> = {
  parked: 'Parked',
  queued: 'Queued',
  running: 'Running',
  done: 'Done',
  held: 'Held',
  released: 'Released',
  planned: 'Planned',
  'in-progress': 'In progress',
};
const RATE_MODE_WORDS: Record<string, string> = { standard: 'Standard rate', observed: 'Observed rate', recommended: 'Recommended' };
const BASIS_WORDS: Record<string, string> = { firstToLastPart: 'First to last part', calendar: 'Planned production time (calendar)' };

const UNIT_FIELDS = new Set(['quantity', 'produced', 'good', 'scrap']);
const INSTANT_FIELDS = new Set(['at', 'createdAt', 'updatedAt', 'created_at', 'updated_at', 'actualStart', 'actualEnd', 'forecastStart', 'forecastEnd', 'actual_start', 'actual_end', 'passedAt', 'signedAt', 'start', 'end']);
const SECONDS_FIELDS = new Set(['maxCycleSeconds', 'availabilityLossSeconds']);
const NONE = '—';
/** unchanged, but they say where the change happened: shown anyway */
const CONTEXT_FIELDS = new Set(['gate', 'machine', 'machine_key']);

function sentence(key: string): string {
  const words = key
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  return words ? words[0].toUpperCase() + words.slice(1) : key;
}

const fieldLabel = (key: string) => FIELD_LABELS[key] ?? sentence(key);

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
/** 200000 → "200,000" — the screens' way */
export const formatCount = (value: number): string => numberFormat.format(value);

/** An instant (epoch ms or ISO text) → "Sat 5 Dec 2026 14:03:27 PST" in plant time. */
export function formatInstantWithZone(value: number | string, zone: string): string {
  const at = typeof value === 'number' ? DateTime.fromMillis(value, { zone }) : DateTime.fromISO(value, { zone });
  if (!at.isValid) return String(value);
  return at.toFormat(at.second === 0 && at.millisecond === 0 ? 'ccc d LLL yyyy HH:mm ZZZZ' : 'ccc d LLL yyyy HH:mm:ss ZZZZ');
}

/** A due as the reviewer reads it: "Sat 5 Dec 2026" for a due day, "Sat 5 Dec 2026 14:00 PST" for a due time. */
export function formatDueWithZone(value: number | string, zone: string): string {
  const { day, timeOfDay } = dueDay(value, zone);
  if (!day.isValid) return String(value);
  return day.toFormat(timeOfDay ? 'ccc d LLL yyyy HH:mm ZZZZ' : 'ccc d LLL yyyy');
}

const isWeekPattern = (value: unknown): value is Record<Weekday, [string, string][]> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && WEEKDAYS.every((d) => Array.isArray((value as Record<string, unknown>)[d]));

/** Shifts of one day: "06:30–14:45, 14:45–23:00", or "not working". */
const shiftsText = (shifts: [string, string][]) => (shifts.length === 0 ? 'not working' : shifts.map(([s, e]) => `${s}–${e}`).join(', '));

/** Hours of a week's shifts (a shift ending at or before its start crosses midnight). */
function weekHours(pattern: Record<Weekday, [string, string][]>): number {
  let minutes = 0;
  for (const day of WEEKDAYS) {
    for (const [s, e] of pattern[day]) {
      const start = parseHHMM(s);
      const end = parseHHMM(e);
      if (start === null || end === null) continue;
      minutes += end > start ? end - start : end + 24 * 60 - start;
    }
  }
  return minutes / 60;
}

const DAY_NAMES: Record<Weekday, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

/** Week patterns: one line per day that changed, and the week's shift hours. */
function weekLines(before: unknown, after: unknown): string[] {
  const b = isWeekPattern(before) ? before : null;
  const a = isWeekPattern(after) ? after : null;
  const lines: string[] = [];
  for (const day of WEEKDAYS) {
    const was = b ? shiftsText(b[day]) : null;
    const now = a ? shiftsText(a[day]) : null;
    if (was !== null && now !== null) {
      if (was !== now) lines.push(`${DAY_NAMES[day]}: ${was} → ${now}`);
    } else lines.push(`${DAY_NAMES[day]}: ${was ?? now}`);
  }
  const hours = (p: typeof b) => (p ? `${formatCount(weekHours(p))} h` : null);
  if (b && a) {
    if (lines.length === 0) lines.push('Shifts unchanged');
    else lines.push(`Shift hours per week: ${hours(b)} → ${hours(a)}`);
  } else lines.push(`Shift hours per week: ${hours(b) ?? hours(a)}`);
  return lines;
}

/** One value in the screens' words and units. */
function valueText(key: string, value: unknown, ctx: DescribeContext): string {
  if (value === null || value === undefined || value === '') return NONE;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (key === 'step' && typeof value === 'number') return `Step ${value + 1}`;
  if (key === 'position' && typeof value === 'number') return String(value + 1);
  if ((key === 'machine' || key === 'machine_key') && typeof value === 'string') return ctx.machineNames?.get(value) ?? value;
  if ((key === 'product' || key === 'product_key') && typeof value === 'string') return ctx.productNames?.get(value) ?? value;
  if (key === 'due' && (typeof value === 'number' || typeof value === 'string')) return formatDueWithZone(value, ctx.zone);
  if (INSTANT_FIELDS.has(key) && (typeof value === 'number' || typeof value === 'string')) return formatInstantWithZone(value, ctx.zone);
  if (key === 'state' || key === 'status') return STATE_WORDS[String(value)] ?? String(value);
  if ((key === 'rateMode' || key === 'rate_mode' || key === 'defaultRateMode') && typeof value === 'string') return RATE_MODE_WORDS[value] ?? value;
  if (key === 'basis' && typeof value === 'string') return BASIS_WORDS[value] ?? value;
  if (typeof value === 'number') {
    if (UNIT_FIELDS.has(key)) return `${formatCount(value)} units`;
    if (key === 'ratePerHour') return `${formatCount(value)} units/h`;
    if (key === 'idealRatePerMinute') return `${formatCount(value)} /min`;
    if (key === 'setupMinutes') return `${formatCount(value)} min`;
    if (SECONDS_FIELDS.has(key)) return `${formatCount(value)} s`;
    return formatCount(value);
  }
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    if (key === 'stopBinsSeconds') return value.map((v) => `${formatCount(Number(v))} s`).join(', ');
    if (key === 'openSteps') return value.map((s) => (typeof s === 'object' && s !== null ? readable(s as Record<string, unknown>, ctx) : String(s))).join('; ') || NONE;
    return value.map((v, i) => (typeof v === 'object' && v !== null ? `${i + 1}. ${readable(v as Record<string, unknown>, ctx)}` : valueText(key, v, ctx))).join('; ');
  }
  if (isWeekPattern(value)) return WEEKDAYS.map((d) => `${DAY_NAMES[d]} ${shiftsText(value[d])}`).join('; ');
  return readable(value as Record<string, unknown>, ctx);
}

/** A nested object as "Label value, Label value" — readable, never JSON. */
function readable(object: Record<string, unknown>, ctx: DescribeContext): string {
  return Object.entries(object)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => (k === 'step' && typeof v === 'number' ? `Step ${v + 1}` : `${fieldLabel(k)} ${valueText(k, v, ctx)}`))
    .join(', ');
}

const asRecord = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

/**
 * The lines of one entry's change: "Field: before → after" for what changed, "Field: value" for
 * what only one side has (a created record's fields, a deleted record's last state). A step that
 * the change is about comes first as "Step N" (1-based, as on the screens).
 */
export function describeChange(entry: DescribableEntry, ctx: DescribeContext): string[] {
  let before = entry.before;
  let after = entry.after;
  // older calendar entries stored the bare week pattern
  if (isWeekPattern(before)) before = { days: before };
  if (isWeekPattern(after)) after = { days: after };
  const b = asRecord(before);
  const a = asRecord(after);
  if (!b && !a) {
    if (before === null && after === null) return [];
    const was = before === null || before === undefined ? null : valueText('value', before, ctx);
    const now = after === null || after === undefined ? null : valueText('value', after, ctx);
    return [was !== null && now !== null ? `${was} → ${now}` : (was ?? now ?? '')];
  }
  const lines: string[] = [];
  const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])];
  if (keys.includes('step')) {
    const bs = b?.step;
    const as = a?.step;
    lines.push(bs !== undefined && as !== undefined && bs !== as ? `Step: ${valueText('step', bs, ctx).replace('Step ', '')} → ${valueText('step', as, ctx).replace('Step ', '')}` : valueText('step', bs ?? as, ctx));
  }
  if (b?.followedDefault === true) lines.push('Before: followed the default week');
  if (a?.followedDefault === true) lines.push('After: follows the default week');
  for (const key of keys) {
    if (key === 'step' || key === 'followedDefault') continue;
    const inBefore = b !== null && key in b;
    const inAfter = a !== null && key in a;
    if (key === 'days') {
      lines.push(...weekLines(inBefore ? b![key] : null, inAfter ? a![key] : null));
      continue;
    }
    const label = fieldLabel(key);
    if (inBefore && inAfter) {
      const was = valueText(key, b![key], ctx);
      const now = valueText(key, a![key], ctx);
      if (was !== now) lines.push(`${label}: ${was} → ${now}`);
      else if (CONTEXT_FIELDS.has(key)) lines.push(`${label}: ${now}`);
    } else {
      lines.push(`${label}: ${valueText(key, inBefore ? b![key] : a![key], ctx)}`);
    }
  }
  return lines;
}
