// A scenario's plan: the live plan input with the scenario's edits applied in order, on copies (the
// live input is never touched). The same walk tells publish where each operation goes, so the live
// plant ends up as the scenario planned it: a move's or a rush order's step lands at the index the
// sandbox gave it (the load service clamps and keeps a running job first exactly as done here).
import { DateTime } from 'luxon';
import { isoWeekOf, patternForWeek, WEEKDAYS, type CalendarSpec, type Shift, type WeekPattern } from '../../core/calendar/index.js';
import { loadIntoQueue, operationId, ScheduleModel, type PlanInput, type PlanOperationInput, type PlanWorkOrder, type RateMode } from '../../core/schedule/index.js';
import { cachedWorkingTime } from '../orders/planner.js';
import type { StoredEdit } from './schemas.js';

export interface SandboxPlant {
  zone: string;
  calendar: CalendarSpec;
  /** machines with whether they take new work */
  machines: readonly { key: string; group: string; enabled: boolean }[];
  defaultRateMode: RateMode;
}

/** Where publish puts an operation: on `machine` at index `position` of its queue, or the parking lot. */
export interface Placement {
  lot: string;
  step: number;
  machine: string | null;
  position: number | null;
}

export interface AppliedEdit {
  edit: StoredEdit;
  /** the operations the edit placed, in the order publish must load them */
  placements: Placement[];
  /** for addShift: the ISO week and its pattern after the edit */
  week?: { key: string; days: WeekPattern };
}

export interface SandboxResult {
  input: PlanInput;
  calendar: CalendarSpec;
  applied: AppliedEdit[];
  /** edits that no longer fit the live plan, with why */
  skipped: { edit: number; message: string }[];
}

type Op = PlanOperationInput & { lot: string };

/** The week pattern with `shift` added to the weekday of `date`. */
export function patternWithShift(calendar: CalendarSpec, date: string, from: string, to: string): { week: string; days: WeekPattern } {
  const week = isoWeekOf(date);
  const base = patternForWeek(calendar, week).pattern;
  const weekday = WEEKDAYS[DateTime.fromISO(date).weekday - 1];
  const shift: Shift = [from, to];
  const days = Object.fromEntries(WEEKDAYS.map((d) => [d, d === weekday ? [...base[d], shift].sort((a, b) => (a[0] < b[0] ? -1 : 1)) : [...base[d]]])) as WeekPattern;
  return { week, days };
}

export function applyEdits(live: PlanInput, plant: SandboxPlant, edits: readonly StoredEdit[]): SandboxResult {
  const workOrders: PlanWorkOrder[] = live.workOrders.map((wo) => ({ ...wo, operations: wo.operations.map((op) => ({ ...op })) }));
  const machines = live.machines.map((m) => ({ ...m, unavailable: [...(m.unavailable ?? [])] }));
  let calendar: CalendarSpec = { ...plant.calendar, weeks: { ...plant.calendar.weeks } };
  let calendarChanged = false;
  const machineByKey = new Map(plant.machines.map((m) => [m.key, m]));
  const productByKey = new Map(live.products.map((p) => [p.key, p]));
  const workOrderByLot = new Map(workOrders.map((wo) => [wo.lot, wo]));

  // queues as ordered operation ids; positions and states are written back at the end
  const ops = new Map<string, Op>();
  const queues = new Map<string, string[]>(plant.machines.map((m) => [m.key, []]));
  for (const wo of workOrders) {
    for (const op of wo.operations) {
      const withLot = Object.assign(op, { lot: wo.lot }) as Op;
      ops.set(operationId(withLot), withLot);
    }
  }
  const onQueue = [...ops.values()].filter((op) => op.machine !== null && op.state !== 'done' && op.state !== 'parked');
  for (const op of onQueue.sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity))) {
    if (!queues.has(op.machine!)) queues.set(op.machine!, []);
    queues.get(op.machine!)!.push(operationId(op));
  }
  const isRunning = (op: Op | undefined) => op !== undefined && op.state !== 'held' && (op.produced > 0 || (op.actualStart ?? null) !== null);
  const takeOff = (id: string) => {
    for (const [key, list] of queues) if (list.includes(id)) queues.set(key, list.filter((x) => x !== id));
  };
  /** onto `machine` at `position` (append when null) as the load service does; returns the index it got */
  const load = (id: string, machine: string, position: number | null | undefined): number => {
    const op = ops.get(id)!;
    const wasOn = [...queues].find(([, list]) => list.includes(id))?.[0];
    if (wasOn !== undefined && wasOn !== machine) takeOff(id);
    const queue = queues.get(machine) ?? [];
    const headRunning = queue.length > 0 && queue[0] !== id && isRunning(ops.get(queue[0]));
    const next = position === null || position === undefined
      ? loadIntoQueue(queue, id, 'append').queue
      : loadIntoQueue(queue, id, 'position', headRunning ? Math.max(1, position) : position).queue;
    queues.set(machine, next);
    op.machine = machine;
    if (op.state === 'parked') op.state = 'queued';
    return next.indexOf(id);
  };
  const park = (id: string) => {
    takeOff(id);
    const op = ops.get(id)!;
    op.machine = null;
    op.position = null;
    op.state = 'parked';
  };
  const writePositions = () => {
    for (const [machine, list] of queues) {
      list.forEach((id, position) => {
        const op = ops.get(id)!;
        op.machine = machine;
        op.position = position;
        if (op.state !== 'held') op.state = position === 0 && isRunning(op) ? 'running' : 'queued';
      });
    }
  };
  const inputNow = (): PlanInput => {
    writePositions();
    return { ...live, working: calendarChanged ? cachedWorkingTime(calendar, plant.zone) : live.working, machines, workOrders };
  };

  const applied: AppliedEdit[] = [];
  const skipped: SandboxResult['skipped'] = [];
  const skip = (edit: StoredEdit, message: string) => void skipped.push({ edit: edit.id, message });
  for (const edit of edits) {
    switch (edit.kind) {
      case 'addShift': {
        if (calendar.holidays.includes(edit.date)) {
          skip(edit, `${edit.date} is a holiday`);
          break;
        }
        const { week, days } = patternWithShift(calendar, edit.date, edit.from, edit.to);
        calendar = { ...calendar, weeks: { ...calendar.weeks, [week]: days } };
        calendarChanged = true;
        applied.push({ edit, placements: [], week: { key: week, days } });
        break;
      }
      case 'machineDown': {
        const machine = machines.find((m) => m.key === edit.machine);
        if (!machine) {
          skip(edit, `machine '${edit.machine}' no longer exists`);
          break;
        }
        machine.unavailable.push({ start: Date.parse(edit.from), end: Date.parse(edit.to) });
        applied.push({ edit, placements: [] });
        break;
      }
      case 'quantity': {
        const wo = workOrderByLot.get(edit.lot);
        if (!wo) {
          skip(edit, `work order ${edit.lot} no longer exists`);
          break;
        }
        wo.quantity = edit.quantity;
        applied.push({ edit, placements: [] });
        break;
      }
      case 'move': {
        const op = ops.get(operationId(edit));
        if (!op) {
          skip(edit, `work order ${edit.lot} has no step ${edit.step + 1} any more`);
          break;
        }
        if (op.state === 'done') {
          skip(edit, `step ${edit.step + 1} of ${edit.lot} is done`);
          break;
        }
        const machine = edit.machine === null ? null : machineByKey.get(edit.machine);
        if (edit.machine !== null && (!machine || !machine.enabled)) {
          skip(edit, `machine '${edit.machine}' is gone or disabled`);
          break;
        }
        const id = operationId(edit);
        if (machine) applied.push({ edit, placements: [{ lot: edit.lot, step: edit.step, machine: machine.key, position: load(id, machine.key, edit.position) }] });
        else {
          park(id);
          applied.push({ edit, placements: [{ lot: edit.lot, step: edit.step, machine: null, position: null }] });
        }
        break;
      }
      case 'rushOrder': {
        const product = productByKey.get(edit.product);
        if (workOrderByLot.has(edit.lot)) {
          skip(edit, `work order ${edit.lot} exists in the live plan now`);
          break;
        }
        if (!product) {
          skip(edit, `product '${edit.product}' no longer exists`);
          break;
        }
        const wo: PlanWorkOrder = {
          lot: edit.lot,
          product: edit.product,
          quantity: edit.quantity,
          due: edit.due === null ? null : Date.parse(edit.due),
          rateMode: plant.defaultRateMode,
          operations: product.routing.map((_, step) => ({ step, machine: null, position: null, state: 'parked', produced: 0 })),
        };
        workOrders.push(wo);
        workOrderByLot.set(wo.lot, wo);
        for (const op of wo.operations) ops.set(operationId({ lot: wo.lot, step: op.step }), Object.assign(op, { lot: wo.lot }) as Op);
        const placements: Placement[] = [];
        for (const [step, routingStep] of product.routing.entries()) {
          const id = operationId({ lot: wo.lot, step });
          const chosen = step === 0 && edit.machine ? edit.machine : earliestFinish(id, routingStep.group);
          if (chosen === null) break; // no machine takes this step: it and the rest stay parked
          placements.push({ lot: wo.lot, step, machine: chosen, position: load(id, chosen, step === 0 && edit.machine ? edit.position : null) });
        }
        applied.push({ edit, placements });
        break;
      }
    }
  }
  return { input: inputNow(), calendar, applied, skipped };

  /** the enabled machine of `group` where operation `id`, appended, finishes earliest (machine order breaks ties) */
  function earliestFinish(id: string, group: string): string | null {
    let best: { machine: string; end: number } | null = null;
    for (const machine of plant.machines) {
      if (machine.group !== group || !machine.enabled) continue;
      const saved = new Map([...queues].map(([k, v]) => [k, [...v]]));
      const savedOp = { ...ops.get(id)! };
      load(id, machine.key, null);
      const model = new ScheduleModel(inputNow());
      model.run();
      const node = model.nodes.find((n) => n.workOrder.lot === ops.get(id)!.lot && n.step === ops.get(id)!.step);
      const end = node?.end ?? Infinity;
      if (best === null || end < best.end) best = { machine: machine.key, end };
      // undo the trial
      queues.clear();
      for (const [k, v] of saved) queues.set(k, v);
      Object.assign(ops.get(id)!, savedOp);
      writePositions();
    }
    return best?.machine ?? null;
  }
}
