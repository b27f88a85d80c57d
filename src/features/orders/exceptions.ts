// Plan exceptions of the live plant (issue 15 item 4): the shell around core/planning-exceptions.
// Reads the plan snapshot the scheduler plans from, plans it as of now, and adds what the core needs
// besides: machine names and whether they are enabled, the gates of each routing, the roles of the
// active users and the gates passed so far.
import type { Executor } from '../../db/database.js';
import { exceptionsReport, type ExceptionProduct, type ExceptionsOptions, type ExceptionsReport } from '../../core/planning-exceptions/index.js';
import { plan } from '../../core/schedule/index.js';
import * as authRepo from '../auth/repository.js';
import * as plantRepo from '../plant/repository.js';
import { loadPlanSnapshot } from './planner.js';

export async function getPlanExceptions(db: Executor, zone: string, now: number, options?: ExceptionsOptions): Promise<ExceptionsReport> {
  const [snapshot, machines, products, users] = await Promise.all([
    loadPlanSnapshot(db, zone, now),
    plantRepo.listMachines(db),
    plantRepo.listProducts(db),
    authRepo.listUsers(db),
  ]);
  const exceptionProducts: ExceptionProduct[] = products.map((product) => ({
    key: product.key,
    name: product.name,
    gates: product.routing.map((step) => (step.gate ? { name: step.gate.name, hours: step.gate.hours, role: step.gate.role } : null)),
  }));
  return exceptionsReport({
    plan: snapshot.input,
    result: plan(snapshot.input),
    zone,
    machines: machines.map((m) => ({ key: m.key, name: m.name, group: m.group, enabled: m.enabled })),
    products: exceptionProducts,
    activeUserRoles: users.filter((user) => Number(user.active) === 1).map((user) => user.role),
    gatePasses: await passesOfWaitingGates(db, snapshot.operations, exceptionProducts, snapshot.workOrders),
    options,
  });
}

/**
 * Gate passes matter only where the gated step is done (before that a gate cannot be passed), so
 * only those lots are read — a handful, not every open lot.
 */
async function passesOfWaitingGates(
  db: Executor,
  operations: Awaited<ReturnType<typeof loadPlanSnapshot>>['operations'],
  products: ExceptionProduct[],
  workOrders: Awaited<ReturnType<typeof loadPlanSnapshot>>['workOrders'],
): Promise<{ lot: string; step: number }[]> {
  const gatesOf = new Map(products.map((p) => [p.key, p.gates]));
  const productOf = new Map(workOrders.map((wo) => [wo.lot, wo.product_key]));
  const lots = new Set<string>();
  for (const op of operations) {
    if (op.state === 'done' && gatesOf.get(productOf.get(op.lot) ?? '')?.[op.step]) lots.add(op.lot);
  }
  const passes: { lot: string; step: number }[] = [];
  for (const lot of lots) for (const pass of await authRepo.listGatePasses(db, lot)) passes.push({ lot: pass.lot, step: pass.step });
  return passes;
}
