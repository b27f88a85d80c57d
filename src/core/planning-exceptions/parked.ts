// Parked work orders whose due date is at risk: the earliest each could finish if its parked steps
// were loaded now, each appended to the machine of its step's group where it ends earliest (step by
// step, in routing order, on the scheduler's own model — so gates, predecessors, calendars and
// changeovers count exactly as in the plan). After due: critical; less than the margin of working
// hours before due: a warning.
import { placementOnQueue, ScheduleModel, type ScheduleNode } from '../schedule/index.js';
import { MS_PER_HOUR } from '../time.js';
import type { DueDateAtRiskException } from './schema.js';
import { DEFAULT_DUE_MARGIN_HOURS, formatHours, formatInstant, groupOf, hours, lotLabel, machineName, stepLabel, workingMsBetween, type PlanIndex } from './context.js';

export function parkedAtRisk(index: PlanIndex, skipLots: ReadonlySet<string>): DueDateAtRiskException[] {
  const candidates = index.input.plan.workOrders.filter(
    (wo) => wo.due !== null && !skipLots.has(wo.lot) && (index.operations.get(wo.lot) ?? []).some((op) => op && index.unplannedReason.get(`${op.lot}/${op.step}`) === 'parked'),
  );
  if (candidates.length === 0) return [];
  const marginMs = (index.input.options?.dueMarginHours ?? DEFAULT_DUE_MARGIN_HOURS) * MS_PER_HOUR;
  const model = new ScheduleModel(index.input.plan);
  const nodesByLot = new Map<string, ScheduleNode[]>();
  for (const node of model.nodes) {
    const list = nodesByLot.get(node.workOrder.lot) ?? [];
    list.push(node);
    nodesByLot.set(node.workOrder.lot, list);
  }
  const found: DueDateAtRiskException[] = [];
  for (const workOrder of candidates) {
    const due = workOrder.due!;
    const nodes = nodesByLot.get(workOrder.lot) ?? [];
    const estimate = earliestFinish(index, model, nodes);
    if (estimate === null) continue;
    const { finish, placements } = estimate;
    const slackMs = finish === null ? null : finish <= due ? workingMsBetween(index, finish, due) : -workingMsBetween(index, due, finish);
    const late = finish === null || finish > due;
    if (!late && slackMs! >= marginMs) continue;
    const where = placements.map((p) => `${machineName(index, p.machine)} (${stepLabel(p.step)})`).join(' and ');
    const outcome =
      finish === null
        ? 'it would not finish within the planning horizon'
        : late
          ? `it would finish ${formatInstant(index, finish)}, ${formatHours(finish - due)} after its due date ${formatInstant(index, due)}`
          : `it would finish ${formatInstant(index, finish)}, only ${formatHours(slackMs!)} of working time before its due date ${formatInstant(index, due)}`;
    const first = placements[0];
    found.push({
      kind: 'due-date-at-risk',
      id: `at-risk:${workOrder.lot}`,
      severity: late ? 'critical' : 'warning',
      message: `${lotLabel(index, workOrder.lot)} is parked; loaded now at the end of ${where}, ${outcome}.`,
      lot: workOrder.lot,
      step: first?.step ?? null,
      machine: first?.machine ?? null,
      group: first ? groupOf(index, workOrder.lot, first.step) : null,
      at: finish,
      due,
      earliestFinish: finish,
      slackHours: slackMs === null ? null : hours(slackMs),
      placements,
    });
  }
  return found;
}

type Estimate = { finish: number | null; placements: { step: number; machine: string }[] } | null;

/**
 * Where nothing of the work order after its first parked step waits in a queue, appending it at a
 * machine's end moves nothing else: the end is the scheduler's own placement rule applied to the
 * machine as the plan leaves it (free from, last family), without re-running the plan. Otherwise a
 * queued later step (and what is behind it) changes too, and the model is run for each candidate.
 */
export function earliestFinish(index: PlanIndex, model: ScheduleModel, nodes: ScheduleNode[]): Estimate {
  model.run();
  const firstParked = nodes.findIndex((node) => node.status === 'unplanned' && node.reason === 'parked');
  const later = nodes.slice(firstParked);
  if (firstParked < 0 || !later.every((node) => node.status === 'done' || (node.status === 'unplanned' && node.reason === 'parked'))) {
    return earliestFinishByRuns(index, model, nodes);
  }
  const { now, matrix } = model;
  /** machines this estimate already appended to: their new end and family */
  const appended = new Map<string, { freeAt: number; family: string }>();
  const placements: { step: number; machine: string }[] = [];
  /** end of the previous step as planned, done or estimated here; null = no constraint (a done step without its end, as the scheduler reads it) */
  let previousEnd = firstParked > 0 ? nodes[firstParked - 1].end : null;
  for (const node of later) {
    if (node.status === 'done') {
      previousEnd = node.end;
      continue;
    }
    const predecessor = node.predecessor;
    const predecessorReady = predecessor === null || previousEnd === null ? -Infinity : previousEnd + predecessor.routingStep.gateHours * MS_PER_HOUR;
    const machines = index.input.machines.filter((m) => m.enabled && m.group === node.routingStep.group && model.queues.has(m.key));
    if (machines.length === 0) return null;
    let best: { machine: string; end: number; family: string } | null = null;
    for (const machine of machines) {
      const queue = model.queues.get(machine.key)!;
      const state = appended.get(machine.key) ?? { freeAt: queue.freeAt, family: queue.family };
      if (state.freeAt === Infinity) continue;
      const end = placementOnQueue(queue, node, matrix, Math.max(now, state.freeAt, predecessorReady), state.family)?.end ?? null;
      if (end !== null && (best === null || end < best.end)) best = { machine: machine.key, end, family: node.family };
    }
    if (best === null) return { finish: null, placements };
    appended.set(best.machine, { freeAt: best.end, family: best.family });
    placements.push({ step: node.step, machine: best.machine });
    previousEnd = best.end;
  }
  return { finish: previousEnd, placements };
}

/**
 * Appends each parked step of one work order to the best machine of its group, in routing order,
 * running the model for every candidate, then puts the model back as it was. null when some parked
 * step has no enabled machine to go to.
 */
export function earliestFinishByRuns(index: PlanIndex, model: ScheduleModel, nodes: ScheduleNode[]): { finish: number | null; placements: { step: number; machine: string }[] } | null {
  const placed: { node: ScheduleNode; machine: string; before: ScheduleNode[] }[] = [];
  try {
    model.run();
    for (const node of nodes) {
      if (node.status !== 'unplanned' || node.reason !== 'parked') continue;
      const machines = index.input.machines.filter((m) => m.enabled && m.group === node.routingStep.group && model.queues.has(m.key));
      if (machines.length === 0) return null;
      let best: { machine: string; end: number } | null = null;
      for (const machine of machines) {
        const queue = model.queues.get(machine.key)!;
        const before = queue.nodes;
        model.assignQueues(new Map([[machine.key, [...before, node]]]));
        model.run();
        const end = node.end;
        model.assignQueues(new Map([[machine.key, before]]));
        if (end !== null && (best === null || end < best.end)) best = { machine: machine.key, end };
      }
      if (best === null) {
        // nowhere within the horizon: leave it on the first machine so later steps stay unplanned
        best = { machine: machines[0].key, end: Infinity };
      }
      const queue = model.queues.get(best.machine)!;
      placed.push({ node, machine: best.machine, before: queue.nodes });
      model.assignQueues(new Map([[best.machine, [...queue.nodes, node]]]));
      model.run();
    }
    const last = nodes[nodes.length - 1];
    const finish = last && (last.status === 'planned' || last.status === 'done') ? last.end : null;
    return { finish, placements: placed.map((p) => ({ step: p.node.step, machine: p.machine })) };
  } finally {
    for (const { machine, before } of placed.reverse()) model.assignQueues(new Map([[machine, before]]));
  }
}
