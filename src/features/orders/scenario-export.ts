// The plant as the scheduler sees it, written in the `qmfg plan` scenario format: zone, "now",
// calendar, machines, routings and the open work orders with their operations. Built from the same
// snapshot the app plans with (loadPlanSnapshot), so planning the file reproduces the stored forecasts.
import { DateTime } from 'luxon';
import type { Executor } from '../../db/database.js';
import { parseScenario, ScenarioError, type ScenarioFile } from '../../core/schedule/index.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import * as plantRepo from '../plant/repository.js';
import { loadPlanSnapshot } from './planner.js';

/** The database holds something the scenario format cannot express; the message says what. */
export class ScenarioExportError extends Error {
  override name = 'ScenarioExportError';
}

type ScenarioMachine = ScenarioFile['machines'][number];
type ScenarioProduct = ScenarioFile['products'][number];
type ScenarioWorkOrder = ScenarioFile['workOrders'][number];

export async function exportScenario(db: Executor, zone: string, now: number): Promise<ScenarioFile> {
  const [snapshot, calendar, allMachines] = await Promise.all([loadPlanSnapshot(db, zone, now), loadCalendarSpec(db), plantRepo.listMachines(db)]);
  // plant-local with its offset: readable, and exact to the millisecond when read back
  const iso = (ms: number) => DateTime.fromMillis(ms, { zone }).toISO()!;

  // work orders whose operations are all done cannot affect anyone's forecast: they stay out
  const open = snapshot.input.workOrders
    .filter((wo) => wo.operations.length === 0 || wo.operations.some((op) => op.state !== 'done'))
    .sort((a, b) => (a.lot < b.lot ? -1 : a.lot > b.lot ? 1 : 0));

  // The app plans on enabled machines. A scenario also needs every machine an open operation is
  // loaded on, and a machine in each routing group (the format checks both); a disabled machine with
  // an empty queue added for that changes no forecast.
  const machines: ScenarioMachine[] = snapshot.input.machines.map(({ key, group }) => ({ key, group }));
  const listed = new Set(machines.map((m) => m.key));
  const addMachine = (key: string) => {
    const machine = allMachines.find((m) => m.key === key);
    if (machine && !listed.has(key)) {
      machines.push({ key: machine.key, group: machine.group });
      listed.add(key);
    }
  };
  for (const wo of open) for (const op of wo.operations) if (op.machine !== null) addMachine(op.machine);
  const coveredGroups = () => new Set(machines.map((m) => m.group));
  for (const product of snapshot.input.products) {
    for (const step of product.routing) {
      if (!coveredGroups().has(step.group)) for (const m of allMachines.filter((x) => x.group === step.group)) addMachine(m.key);
    }
  }
  const groups = coveredGroups();
  const usedProducts = new Set(open.map((wo) => wo.product));
  const products: ScenarioProduct[] = [];
  for (const product of snapshot.input.products) {
    const missing = product.routing.find((step) => !groups.has(step.group));
    if (missing) {
      if (usedProducts.has(product.key)) {
        throw new ScenarioExportError(`product '${product.key}' has a step on process group '${missing.group}', which has no machine; a scenario needs at least one`);
      }
      continue; // nobody waits on it, and the format cannot express it
    }
    products.push({
      key: product.key,
      ...(product.family !== undefined && product.family !== product.key ? { family: product.family } : {}),
      routing: product.routing.map((s) => ({ group: s.group, ratePerHour: s.ratePerHour, setupMinutes: s.setupMinutes, gateHours: s.gateHours })),
    });
  }

  // families and changeovers as the planner sees them; a rule or a machine's last family naming a
  // family no exported product has (its products are all closed) cannot matter to this plan: left out
  const families = new Set(products.map((p) => p.family ?? p.key));
  const knownFamily = (family: string) => family === '*' || families.has(family);
  const lastFamilyOf = new Map(snapshot.input.machines.map((m) => [m.key, m.lastFamily ?? null]));
  for (const machine of machines) {
    const last = lastFamilyOf.get(machine.key) ?? null;
    if (last !== null && families.has(last)) machine.lastFamily = last;
  }
  const changeovers = (snapshot.input.changeovers ?? [])
    .filter((rule) => knownFamily(rule.from) && knownFamily(rule.to) && (rule.group == null || groups.has(rule.group)))
    .map((rule) => ({ ...(rule.group != null ? { group: rule.group } : {}), from: rule.from, to: rule.to, minutes: rule.minutes }));

  const workOrders: ScenarioWorkOrder[] = open.map((wo) => ({
    lot: wo.lot,
    product: wo.product,
    quantity: wo.quantity,
    due: wo.due === null ? null : iso(wo.due),
    // the effective mode (the site default filled in), so the file does not depend on the site
    rateMode: wo.rateMode,
    operations: wo.operations.map((op) => ({
      step: op.step,
      machine: op.machine,
      position: op.position,
      ...(op.state ? { state: op.state } : {}),
      produced: op.produced,
      ...(op.observedRatePerHour != null ? { observedRatePerHour: op.observedRatePerHour } : {}),
      ...(op.actualStart != null ? { actualStart: iso(op.actualStart) } : {}),
      ...(op.actualEnd != null ? { actualEnd: iso(op.actualEnd) } : {}),
    })),
  }));

  const scenario: ScenarioFile = { timezone: zone, now: iso(now), calendar, machines, products, ...(changeovers.length > 0 ? { changeovers } : {}), workOrders };
  // a file `qmfg plan` would refuse is a bug here, not the user's problem to find later
  try {
    parseScenario(JSON.parse(JSON.stringify(scenario)));
  } catch (error) {
    if (error instanceof ScenarioError) throw new ScenarioExportError(`the database state does not form a valid scenario: ${error.message}`);
    throw error;
  }
  return scenario;
}
