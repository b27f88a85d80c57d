// Edits as a planner types them, checked against the live plant and the scenario's earlier edits
// (400 with the field's path, e.g. body.edits.0.machine) and stored in one form: machine downtime and
// due dates as UTC instants, read in the plant's zone when they carry no offset.
import { DateTime } from 'luxon';
import { Invalid, type FieldError } from '../../core/errors.js';
import { validateWeekPattern, type CalendarSpec } from '../../core/calendar/index.js';
import { parseDue } from '../orders/service.js';
import type { PlanSnapshot } from '../orders/planner.js';
import { patternWithShift } from './sandbox.js';
import type { EditInput, StoredEdit } from './schemas.js';

export interface ValidationPlant {
  zone: string;
  now: number;
  calendar: CalendarSpec;
  snapshot: PlanSnapshot;
  machines: readonly { key: string; name: string; group: string; enabled: boolean }[];
  products: readonly { key: string; routing: readonly { group: string }[] }[];
}

const MAX_DOWN_MS = 366 * 86_400_000;

function parseInstant(text: string, zone: string): number | null {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(text) ? DateTime.fromISO(text, { zone }) : DateTime.fromISO(text, { zone, setZone: false });
  return parsed.isValid ? parsed.toMillis() : null;
}

/** The edits normalised with ids after `existing`, or a 400 listing every problem by path. */
export function checkEdits(plant: ValidationPlant, existing: readonly StoredEdit[], edits: readonly EditInput[], path = 'body.edits'): StoredEdit[] {
  const errors: FieldError[] = [];
  const machineByKey = new Map(plant.machines.map((m) => [m.key, m]));
  const productByKey = new Map(plant.products.map((p) => [p.key, p]));
  const liveLots = new Map(plant.snapshot.workOrders.map((wo) => [wo.lot, wo]));
  const opsOf = (lot: string) => plant.snapshot.operations.filter((op) => op.lot === lot);
  const rushLots = new Map<string, string>(existing.filter((e) => e.kind === 'rushOrder').map((e) => [e.lot, (e as Extract<StoredEdit, { kind: 'rushOrder' }>).product]));
  let calendar: CalendarSpec = plant.calendar;
  // a new shift must fit the week as the scenario's earlier shifts left it
  for (const e of existing) {
    if (e.kind !== 'addShift' || calendar.holidays.includes(e.date)) continue;
    const { week, days } = patternWithShift(calendar, e.date, e.from, e.to);
    calendar = { ...calendar, weeks: { ...calendar.weeks, [week]: days } };
  }
  let nextId = existing.reduce((max, e) => Math.max(max, e.id), 0) + 1;
  const today = DateTime.fromMillis(plant.now, { zone: plant.zone }).toISODate()!;
  const stored: StoredEdit[] = [];

  edits.forEach((edit, index) => {
    const at = (field: string) => `${path}.${index}.${field}`;
    const fail = (field: string, message: string) => void errors.push({ path: at(field), message });
    const before = errors.length;
    const machineCheck = (key: string, group: string | null, what: string) => {
      const machine = machineByKey.get(key);
      if (!machine) return fail('machine', `unknown machine '${key}'`);
      if (group !== null && machine.group !== group) return fail('machine', `${machine.name} belongs to process group '${machine.group}', but ${what} runs on '${group}'`);
      if (group !== null && !machine.enabled) fail('machine', `${machine.name} is disabled: nothing new can be loaded on it`);
    };
    switch (edit.kind) {
      case 'addShift': {
        if (edit.date < today) fail('date', `${edit.date} is in the past`);
        else if (calendar.holidays.includes(edit.date)) fail('date', `${edit.date} is a holiday: no shift starts on it (remove the holiday in the calendar first)`);
        else if (edit.from === edit.to) fail('to', 'must differ from from');
        else if (edit.from === '24:00') fail('from', 'a shift cannot start at 24:00; start it at 00:00 on the next day');
        else {
          const { week, days } = patternWithShift(calendar, edit.date, edit.from, edit.to);
          const problems = validateWeekPattern(days);
          if (problems.length > 0) fail('from', `the shift ${edit.from}–${edit.to} does not fit week ${week}: ${problems.map((p) => p.message).join('; ')}`);
          else calendar = { ...calendar, weeks: { ...calendar.weeks, [week]: days } };
        }
        if (errors.length === before) stored.push({ ...edit, id: nextId++ });
        break;
      }
      case 'machineDown': {
        machineCheck(edit.machine, null, '');
        const from = parseInstant(edit.from, plant.zone);
        const to = parseInstant(edit.to, plant.zone);
        if (from === null) fail('from', `'${edit.from}' is not a valid date-time`);
        if (to === null) fail('to', `'${edit.to}' is not a valid date-time`);
        if (from !== null && to !== null) {
          if (to <= from) fail('to', 'must be after from');
          else if (to - from > MAX_DOWN_MS) fail('to', 'a machine can be taken down for at most a year at a time');
          else if (to <= plant.now) fail('to', 'is in the past: the machine would be down before now, which changes nothing');
        }
        if (errors.length === before) stored.push({ ...edit, from: new Date(from!).toISOString(), to: new Date(to!).toISOString(), id: nextId++ });
        break;
      }
      case 'rushOrder': {
        if (liveLots.has(edit.lot)) fail('lot', `work order '${edit.lot}' already exists`);
        else if (rushLots.has(edit.lot)) fail('lot', `this scenario already has a rush order ${edit.lot}`);
        const product = productByKey.get(edit.product);
        if (!product) fail('product', `unknown product '${edit.product}'`);
        if (edit.machine && product) machineCheck(edit.machine, product.routing[0]?.group ?? null, `step 1 of ${edit.product}`);
        if (edit.position !== null && edit.position !== undefined && !edit.machine) fail('position', 'a position needs a machine');
        let due: number | null = null;
        try {
          due = parseDue(edit.due, plant.zone, at('due'));
        } catch (error) {
          if (error instanceof Invalid) errors.push(...error.fields);
          else throw error;
        }
        if (errors.length === before) {
          rushLots.set(edit.lot, edit.product);
          stored.push({ ...edit, machine: edit.machine ?? null, position: edit.position ?? null, due: due === null ? null : new Date(due).toISOString(), id: nextId++ });
        }
        break;
      }
      case 'quantity': {
        const wo = liveLots.get(edit.lot);
        if (!wo && !rushLots.has(edit.lot)) fail('lot', `unknown work order '${edit.lot}'`);
        else if (wo && opsOf(edit.lot).every((op) => op.state === 'done')) fail('lot', `work order ${edit.lot} is done`);
        if (errors.length === before) stored.push({ ...edit, id: nextId++ });
        break;
      }
      case 'move': {
        const wo = liveLots.get(edit.lot);
        const productKey = wo?.product_key ?? rushLots.get(edit.lot);
        const product = productKey ? productByKey.get(productKey) : undefined;
        if (!productKey) fail('lot', `unknown work order '${edit.lot}'`);
        else if (!product?.routing[edit.step]) fail('step', `work order ${edit.lot} has no step ${edit.step + 1}`);
        else {
          if (wo && opsOf(edit.lot).find((op) => op.step === edit.step)?.state === 'done') fail('step', `step ${edit.step + 1} of ${edit.lot} is done`);
          if (edit.machine !== null) machineCheck(edit.machine, product.routing[edit.step].group, `step ${edit.step + 1} of lot ${edit.lot}`);
        }
        if (edit.machine === null && edit.position !== null && edit.position !== undefined) fail('position', 'the parking lot has no positions');
        if (errors.length === before) stored.push({ ...edit, position: edit.position ?? null, id: nextId++ });
        break;
      }
    }
  });
  if (errors.length > 0) throw new Invalid(`the edits do not fit the plant: ${errors[0].path}: ${errors[0].message}`, errors);
  return stored;
}
