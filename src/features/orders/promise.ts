// Capable-to-promise for the live plant: "when could N units of P be finished if ordered now?" —
// the core's two answers (plan untouched; re-sequenced without making another order late).
import type { z } from 'zod';
import type { Executor } from '../../db/database.js';
import { Invalid } from '../../core/errors.js';
import { capableToPromise, type PromiseAnswer } from '../../core/schedule/index.js';
import * as plantRepo from '../plant/repository.js';
import { loadPlanSnapshot } from './planner.js';
import type { promiseAnswerSchema, PromiseBody, PromiseView } from './promise-schemas.js';

const iso = (instant: number): string => new Date(instant).toISOString();

function view(answer: PromiseAnswer): z.infer<typeof promiseAnswerSchema> {
  return {
    end: answer.end === null ? null : iso(answer.end),
    steps: answer.steps.map((step) => ({ ...step, start: iso(step.start), end: iso(step.end) })),
    delayedWorkOrders: answer.delayedWorkOrders,
  };
}

export async function promiseFor(db: Executor, zone: string, body: PromiseBody, now = Date.now()): Promise<PromiseView> {
  const product = await plantRepo.getProduct(db, body.product);
  if (!product) throw Invalid.field('body.product', `unknown product '${body.product}'`);
  const snapshot = await loadPlanSnapshot(db, zone, now);
  const machineGroups = new Set(snapshot.input.machines.map((machine) => machine.group));
  const missing = product.routing.findIndex((step) => !machineGroups.has(step.group));
  if (missing >= 0) throw Invalid.field('body.product', `step ${missing + 1} of '${product.key}' runs on group '${product.routing[missing].group}', which has no machine`);
  const answer = capableToPromise(snapshot.input, { product: body.product, quantity: body.quantity, rateMode: body.rateMode });
  return { product: body.product, quantity: body.quantity, askedAt: iso(now), untouched: view(answer.untouched), resequenced: view(answer.resequenced) };
}
