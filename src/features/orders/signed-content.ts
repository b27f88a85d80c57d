// What an electronic signature of a work order binds to: the order and its operations' results (a
// closed work order), or one operation's result (the gate after a step). Forecasts are left out on
// purpose: the planner rewrites them after every change anywhere in the plant, which does not change
// what was signed. Auth hashes this content; server/app.ts hands these readers to it.
import type { Executor } from '../../db/database.js';
import * as repo from './repository.js';

const operationContent = (op: repo.OperationRow) => ({
  step: op.step,
  state: op.state,
  machine: op.machine_key,
  produced: op.produced,
  good: op.good,
  scrap: op.scrap,
  actualStart: op.actual_start,
  actualEnd: op.actual_end,
});

export async function workOrderSignedContent(db: Executor, lot: string): Promise<{ version: number; content: unknown } | undefined> {
  const wo = await repo.getWorkOrder(db, lot);
  if (!wo) return undefined;
  const ops = await repo.listOperations(db, [lot]);
  return {
    version: wo.version,
    content: {
      lot: wo.lot, product: wo.product_key, quantity: wo.quantity, due: wo.due, priority: wo.priority, notes: wo.notes, rateMode: wo.rate_mode,
      operations: ops.map(operationContent),
    },
  };
}

/** the gate after one operation ("lot/step"): signs that operation's result */
export async function operationGateSignedContent(db: Executor, key: string): Promise<{ version: null; content: unknown } | undefined> {
  const slash = key.lastIndexOf('/');
  const lot = key.slice(0, slash);
  const step = Number(key.slice(slash + 1));
  const wo = await repo.getWorkOrder(db, lot);
  const op = (await repo.listOperations(db, [lot])).find((o) => o.step === step);
  return wo && op ? { version: null, content: { lot, product: wo.product_key, quantity: wo.quantity, operation: operationContent(op) } } : undefined;
}

/** The kinds of record orders signs, by audit entity: what the sign-off screens and exports check. */
export const ORDER_SIGNED_CONTENT = {
  'work-order': workOrderSignedContent,
  'operation-gate': operationGateSignedContent,
} as const;
