// Publishing a scenario into the live plan: under the planning lock, in one transaction — the copy's
// basis checked against the live queues (409 naming the machines whose queues changed, unless the
// planner saw that and forces it), each edit applied to the live plant through the service that owns
// it (calendar week override, planned machine downtime, new work order and its loading, quantity,
// load or park), the plant re-planned, the scenario marked published, and ONE audit entry for it
// all: the services are asked not to write their own (as accepting a suggestion writes one), and the
// publish entry carries every change with its before and after.
import { Conflict, Forbidden } from '../../core/errors.js';
import { requireReason } from '../../core/reasons.js';
import { kpisOf, ScheduleModel, type PlanInput } from '../../core/schedule/index.js';
import { appendAudit } from '../audit/repository.js';
import type { Who } from '../audit/who.js';
import * as calendarRepo from '../calendar/repository.js';
import { overrideWeekIn } from '../calendar/service.js';
import * as plantRepo from '../plant/repository.js';
import { planTransaction, replan } from '../orders/planner.js';
import { insertNewWorkOrder, loadOperationIn, parkOperationIn, updateWorkOrderIn } from '../orders/service.js';
import * as repo from './repository.js';
import { liveChanges, loadLive, requireOpen, requireScenario, sandboxOf, toView, type ScenarioContext } from './service.js';
import type { ScenarioView } from './schemas.js';

/** The live plan changed since the copy: the message names the queues; GET the scenario for the list (liveChanges). */
export class PlanChanged extends Conflict {
  override readonly code = 'plan_changed';
}

const kpisOfInput = (input: PlanInput) => {
  const model = new ScheduleModel(input);
  model.run();
  return kpisOf(model);
};

export async function publishScenario(
  ctx: ScenarioContext,
  who: Who,
  id: number,
  request: { version: number; reason?: string; force: boolean; mayChangeCalendar?: boolean },
): Promise<{ scenario: ScenarioView; kpis: { before: ReturnType<typeof kpisOf>; after: ReturnType<typeof kpisOf> }; machines: string[] }> {
  const reason = requireReason({ reason: request.reason ?? who.reason }, 'publishing a scenario into the live plan');
  const now = (ctx.now ?? Date.now)();
  return planTransaction(ctx.db, async (trx) => {
    const row = await requireScenario(trx, id, request.version);
    requireOpen(row);
    if (request.mayChangeCalendar === false && row.edits.some((e) => e.kind === 'addShift')) {
      throw new Forbidden('publishing an extra shift changes the production calendar: that needs the calendar:write permission', 'calendar:write');
    }
    const live = await loadLive(trx, ctx.zone, now);
    const changes = liveChanges(row, live);
    if (changes.changed && !request.force) {
      throw new PlanChanged(
        `the live plan changed since scenario '${row.name}' was copied: ${changes.machines.map((m) => m.name).join(', ') || 'machine availability'} changed. ` +
          'Compare again and publish with force if the scenario still holds',
      );
    }
    const sandbox = sandboxOf(ctx, row, live);
    if (sandbox.skipped.length > 0) {
      throw new Conflict(`some edits no longer fit the live plan: ${sandbox.skipped.map((s) => `edit ${s.edit}: ${s.message}`).join('; ')}. Remove them and publish again`);
    }
    const kpisBefore = kpisOfInput(live.snapshot.input);
    const expectedKpis = kpisOfInput(sandbox.input);
    const quiet = null; // the services write no entry of their own: the publish entry below records their changes
    const whoWithReason: Who = { ...who, reason: `scenario '${row.name}': ${reason}` };
    const records: unknown[] = [];
    const touchedMachines = new Set<string>();
    for (const { edit, placements, week } of sandbox.applied) {
      switch (edit.kind) {
        case 'addShift': {
          const existing = await calendarRepo.getWeek(trx, week!.key);
          await overrideWeekIn(trx, whoWithReason, week!.key, week!.days, existing?.version, now, false);
          records.push({ edit: edit.id, kind: edit.kind, week: week!.key, before: existing?.days ?? 'default week', after: week!.days });
          break;
        }
        case 'machineDown': {
          const down = { machine: edit.machine, start: Date.parse(edit.from), end: Date.parse(edit.to), reason: whoWithReason.reason!, createdBy: who.actor, createdAt: now };
          await plantRepo.insertMachineDowntime(trx, down);
          touchedMachines.add(edit.machine);
          records.push({ edit: edit.id, kind: edit.kind, machine: edit.machine, from: edit.from, to: edit.to });
          break;
        }
        case 'quantity': {
          const before = live.snapshot.workOrders.find((wo) => wo.lot === edit.lot)?.quantity ?? null;
          await updateWorkOrderIn(trx, ctx.zone, quiet, edit.lot, { quantity: edit.quantity, reason: whoWithReason.reason! }, now);
          records.push({ edit: edit.id, kind: edit.kind, lot: edit.lot, before, after: edit.quantity });
          break;
        }
        case 'rushOrder': {
          await insertNewWorkOrder(trx, ctx.zone, quiet, {
            lot: edit.lot, product: edit.product, quantity: edit.quantity, due: edit.due, priority: 0, notes: `rush order of scenario '${row.name}'`, rateMode: null,
          }, now);
          for (const p of placements) {
            await loadOperationIn(trx, quiet, p.lot, p.step, { machine: p.machine!, mode: 'position', position: p.position! }, now);
            touchedMachines.add(p.machine!);
          }
          records.push({ edit: edit.id, kind: edit.kind, lot: edit.lot, product: edit.product, quantity: edit.quantity, due: edit.due, placements });
          break;
        }
        case 'move': {
          const was = live.snapshot.operations.find((op) => op.lot === edit.lot && op.step === edit.step);
          for (const p of placements) {
            if (p.machine === null) await parkOperationIn(trx, quiet, p.lot, p.step, now);
            else await loadOperationIn(trx, quiet, p.lot, p.step, { machine: p.machine, mode: 'position', position: p.position! }, now);
            if (p.machine) touchedMachines.add(p.machine);
          }
          if (was?.machine_key && was.state !== 'parked') touchedMachines.add(was.machine_key);
          records.push({ edit: edit.id, kind: edit.kind, lot: edit.lot, step: edit.step, before: { machine: was?.state === 'parked' ? null : (was?.machine_key ?? null), position: was?.position ?? null }, after: placements[0] ?? null });
          break;
        }
      }
    }
    await replan(trx, ctx.zone, now);
    const after = await loadLive(trx, ctx.zone, now);
    const kpisAfter = kpisOfInput(after.snapshot.input);
    if (!(await repo.updateScenario(trx, id, row.version, { state: 'published', publishedAt: now, publishedBy: who.actor }, now))) {
      throw new Conflict(`scenario '${row.name}' was changed by someone else meanwhile; reload and try again`);
    }
    await appendAudit(trx, {
      ...who,
      reason,
      entity: 'scenario',
      entityKey: String(id),
      action: 'publish',
      before: { basis: row.basis, basisAt: row.basisAt, liveChanged: changes.machines.map((m) => m.key), forced: changes.changed, kpis: kpisBefore },
      after: { name: row.name, changes: records, kpis: kpisAfter, scenarioKpis: expectedKpis },
    });
    return { scenario: toView((await repo.getScenario(trx, id))!, after), kpis: { before: kpisBefore, after: kpisAfter }, machines: [...touchedMachines].sort() };
  });
}
