// Late work orders and why. A planned operation starts at the latest of now, the end of the job
// before it on its machine and its predecessor step's end plus that step's gate (the scheduler's own
// rule), so whichever of the three set its start is the cause: the machine (capacity), the gate, a
// predecessor that is itself late, or nothing (lead-time: even started now it cannot make it).
// Work orders with a held, dead-locked or beyond-horizon step cannot be planned at all.
import type { PlannedOperation } from '../schedule/index.js';
import { MS_PER_HOUR } from '../time.js';
import type { LateCause, LateWorkOrderException } from './schema.js';
import {
  formatHours, formatInstant, groupOf, hours, isDone, lotLabel, machineName, opKey, stepLabel, workingMsBetween, type PlanIndex,
} from './context.js';

interface CauseAnalysis {
  cause: Exclude<LateCause, 'unplannable'>;
  op: PlannedOperation;
  workAheadMs: number | null;
  jobsAhead: number | null;
  gateName: string | null;
  gateHours: number | null;
  /** the cause of a late predecessor, followed back to where the lateness starts */
  root: CauseAnalysis | null;
}

const UNPLANNABLE = new Set(['held', 'queue-deadlock', 'horizon-exceeded']);

export function lateWorkOrders(index: PlanIndex): LateWorkOrderException[] {
  const found: LateWorkOrderException[] = [];
  for (const workOrder of index.input.plan.workOrders) {
    const due = workOrder.due;
    if (due === null) continue;
    const ops = (index.operations.get(workOrder.lot) ?? []).filter(Boolean);
    if (ops.every((op) => isDone(index, op.lot, op.step))) continue;
    const late = ops.filter((op) => op.late && !isDone(index, op.lot, op.step));
    if (late.length > 0) {
      const last = late[late.length - 1];
      found.push(lateItem(index, due, last, analyse(index, last, due)));
      continue;
    }
    const blocked = ops.find((op) => UNPLANNABLE.has(rootReason(index, op.lot, op.step) ?? ''));
    if (blocked) found.push(unplannableItem(index, due, blocked));
  }
  return found;
}

function analyse(index: PlanIndex, op: PlannedOperation, due: number): CauseAnalysis {
  const start = op.start!;
  const sequence = index.machineSequence.get(op.machine ?? '') ?? [];
  const position = sequence.indexOf(op);
  const previous = position > 0 ? sequence[position - 1] : null;
  const machineFreeAt = previous?.end ?? -Infinity;
  const predecessor = op.step > 0 ? index.operations.get(op.lot)?.[op.step - 1] ?? null : null;
  const workOrder = index.workOrders.get(op.lot)!;
  const gate = index.products.get(workOrder.product)?.gates[op.step - 1] ?? null;
  const gateHours = op.step > 0 ? (index.routings.get(workOrder.product)?.[op.step - 1]?.gateHours ?? 0) : 0;
  const predecessorReady = predecessor?.end != null ? predecessor.end + gateHours * MS_PER_HOUR : -Infinity;
  const empty = { workAheadMs: null, jobsAhead: null, gateName: null, gateHours: null, root: null };

  if (machineFreeAt > index.now && machineFreeAt >= predecessorReady) {
    // the work ahead: what the machine does between now and this job's start
    const ahead = sequence.slice(0, position).filter((other) => other.end! > index.now);
    const workAheadMs = ahead.reduce((sum, other) => sum + workingMsBetween(index, Math.max(other.start!, index.now), Math.min(other.end!, start)), 0);
    return { ...empty, cause: 'capacity', op, workAheadMs, jobsAhead: ahead.length };
  }
  if (predecessor !== null && predecessorReady > index.now) {
    if (predecessor.end! > due && !isDone(index, predecessor.lot, predecessor.step)) {
      return { ...empty, cause: 'predecessor-late', op, root: rootOf(analyse(index, predecessor, due)) };
    }
    if (gateHours > 0) return { ...empty, cause: 'gate', op, gateName: gate?.name ?? 'gate', gateHours };
  }
  return { ...empty, cause: 'lead-time', op };
}

const rootOf = (analysis: CauseAnalysis): CauseAnalysis => (analysis.cause === 'predecessor-late' && analysis.root ? analysis.root : analysis);

/** Why an operation has no forecast, following 'predecessor-unplanned' back to the step that causes it. */
function rootReason(index: PlanIndex, lot: string, step: number): string | undefined {
  let current = step;
  let reason = index.unplannedReason.get(opKey(lot, current));
  while (reason === 'predecessor-unplanned' && current > 0) {
    current -= 1;
    reason = index.unplannedReason.get(opKey(lot, current));
  }
  return reason;
}

function causeSentence(index: PlanIndex, analysis: CauseAnalysis): string {
  const { op } = analysis;
  const where = `${stepLabel(op.step)} on ${machineName(index, op.machine)}`;
  switch (analysis.cause) {
    case 'capacity':
      return `${stepLabel(op.step)} waits for ${machineName(index, op.machine)}, which has ${formatHours(analysis.workAheadMs ?? 0)} of work ahead of it (${analysis.jobsAhead} ${analysis.jobsAhead === 1 ? 'job' : 'jobs'})`;
    case 'gate':
      return `${where} waits for the ${analysis.gateName} (${analysis.gateHours} h) after ${stepLabel(op.step - 1)}`;
    case 'predecessor-late':
      return `${where} cannot start before ${stepLabel(op.step - 1)}, which is itself late — ${analysis.root ? causeSentence(index, analysis.root) : 'see that step'}`;
    case 'lead-time': {
      const running = index.operationInputs.get(op.lot)?.get(op.step);
      return running && (running.state === 'running' || running.produced > 0)
        ? `${where} is under way and ends after the due date at the planned rate`
        : `${where} takes longer than the time left, even started as soon as it can`;
    }
  }
}

function lateItem(index: PlanIndex, due: number, op: PlannedOperation, analysis: CauseAnalysis): LateWorkOrderException {
  const ops = (index.operations.get(op.lot) ?? []).filter((o) => o && o.end !== null);
  const finish = Math.max(...ops.map((o) => o.end!));
  const lateMs = finish - due;
  return {
    kind: 'late-work-order',
    id: `late:${op.lot}`,
    severity: 'critical',
    message: `${lotLabel(index, op.lot)} is ${formatHours(lateMs)} late (due ${formatInstant(index, due)}): ${causeSentence(index, analysis)}.`,
    lot: op.lot,
    step: op.step,
    machine: op.machine,
    group: groupOf(index, op.lot, op.step),
    at: op.start,
    cause: analysis.cause,
    due,
    finish,
    hoursLate: hours(lateMs),
    workAheadHours: analysis.workAheadMs === null ? null : hours(analysis.workAheadMs),
    jobsAhead: analysis.jobsAhead,
    gateName: analysis.gateName,
    gateHours: analysis.gateHours,
    rootCause: analysis.root ? { cause: analysis.root.cause, step: analysis.root.op.step, machine: analysis.root.op.machine } : null,
    unplannedReason: null,
  };
}

const REASON_WORDS: Record<string, string> = {
  held: 'is on hold',
  'queue-deadlock': 'waits in a queue for a step that waits behind it (queue deadlock)',
  'horizon-exceeded': 'does not finish within the planning horizon',
};

function unplannableItem(index: PlanIndex, due: number, op: PlannedOperation): LateWorkOrderException {
  let step = op.step;
  while (index.unplannedReason.get(opKey(op.lot, step)) === 'predecessor-unplanned' && step > 0) step -= 1;
  const reason = index.unplannedReason.get(opKey(op.lot, step)) ?? 'held';
  const blocked = index.operations.get(op.lot)?.[step] ?? op;
  const overdue = due <= index.now;
  return {
    kind: 'late-work-order',
    id: `late:${op.lot}`,
    severity: overdue ? 'critical' : 'warning',
    message: `${lotLabel(index, op.lot)} cannot be planned: ${stepLabel(step)} ${REASON_WORDS[reason] ?? reason}; it is due ${formatInstant(index, due)}${overdue ? ' and already overdue' : ''}.`,
    lot: op.lot,
    step,
    machine: blocked.machine,
    group: groupOf(index, op.lot, step),
    at: null,
    cause: 'unplannable',
    due,
    finish: null,
    hoursLate: overdue ? hours(index.now - due) : null,
    workAheadHours: null,
    jobsAhead: null,
    gateName: null,
    gateHours: null,
    rootCause: null,
    unplannedReason: reason,
  };
}
