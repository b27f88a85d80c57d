// Electronically signed steps of a work order: passing the gate after a step (QC release, supervisor
// sign-off — the signer must hold the gate's role) and closing the whole work order. The signature
// itself comes in with `who.signature` (checked by the route) and is recorded by the audit entry
// of the change, in the same transaction, bound to the record as it is after the change.
import type { z } from 'zod';
import type { Executor, Tx } from '../../db/database.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../core/errors.js';
import { requireReason } from '../../core/reasons.js';
import { appendAudit } from '../audit/repository.js';
import type { Who } from '../audit/who.js';
import * as authRepo from '../auth/repository.js';
import { manifestation, viewSignatures } from '../auth/signatures.js';
import * as plantRepo from '../plant/repository.js';
import { planTransaction, replan } from './planner.js';
import { ORDER_SIGNED_CONTENT } from './signed-content.js';
import * as repo from './repository.js';
import { bump, closeUpQueue, getWorkOrderView, markDone, requireWorkOrder, shortOf, type OrdersContext } from './service.js';
import { operationId, parseOperationId, queueState } from '../../core/schedule/index.js';
import type { WorkOrder } from './schemas.js';
import type { signedActionSchema, SignOffs } from './sign-off-schemas.js';


const requireSignature = (who: Who) => {
  if (!who.signature) throw Invalid.field('body.signature', 'this step needs your electronic signature');
  return who.signature;
};

/** The gates of a work order's routing, whether each is passed, and by whose signature. */
export async function getSignOffs(db: Executor, lot: string): Promise<SignOffs> {
  const wo = await requireWorkOrder(db, lot);
  const [product, ops, passes, woSignatureRows] = await Promise.all([
    plantRepo.getProduct(db, wo.product_key),
    repo.listOperations(db, [lot]),
    authRepo.listGatePasses(db, lot),
    authRepo.listSignatures(db, { entity: 'work-order', entityKeys: [lot] }),
  ]);
  const gateSignatureRows = await authRepo.listSignatures(db, { ids: passes.map((p) => p.signature_id) });
  const gateSignatures = new Map((await viewSignatures(ORDER_SIGNED_CONTENT, db, gateSignatureRows)).map((s) => [s.id, s]));
  const gates = (product?.routing ?? []).flatMap((routingStep, step) => {
    if (!routingStep.gate) return [];
    const pass = passes.find((p) => p.step === step);
    const op = ops.find((o) => o.step === step);
    return [{
      step,
      gateName: routingStep.gate.name,
      role: routingStep.gate.role,
      hours: routingStep.gate.hours,
      ready: op?.state === 'done',
      passedAt: pass ? new Date(pass.passed_at).toISOString() : null,
      signature: pass ? (gateSignatures.get(pass.signature_id) ?? null) : null,
    }];
  });
  return { lot, gates, signatures: await viewSignatures(ORDER_SIGNED_CONTENT, db, woSignatureRows) };
}

/**
 * Passes the gate after step `step`: that step must be done, the gate not yet passed, and the signer
 * must hold the role the routing names for the gate (a QC release is signed by quality).
 */
/**
 * A rule a feature above orders adds to a gate's release (the audit-trail review at QC release): it
 * runs in the release's transaction once the gate's own rules hold, throws to refuse, may add to the
 * audit entry's after, and is told the id of the gate's signature once it is recorded — so the check
 * and the release commit together.
 */
export type GateCheck = (
  trx: Tx,
  gate: { lot: string; step: number; name: string; role: string; now: number },
) => Promise<{ auditAfter?: Record<string, unknown>; recorded?: (trx: Tx, signatureId: number) => Promise<void> }>;

export async function passGate(ctx: OrdersContext, who: Who, lot: string, step: number, input: z.infer<typeof signedActionSchema>, check?: GateCheck): Promise<SignOffs> {
  const signature = requireSignature(who);
  const now = (ctx.now ?? Date.now)();
  await ctx.db.transaction().execute(async (trx) => {
    const wo = await requireWorkOrder(trx, lot, input.version);
    const product = await plantRepo.getProduct(trx, wo.product_key);
    const gate = product?.routing[step]?.gate;
    if (!gate) throw new Conflict(`step ${step} of work order '${lot}' has no gate to sign`);
    const op = (await repo.listOperations(trx, [lot])).find((o) => o.step === step);
    if (!op) throw new NotFound('operation', `${lot}/${step}`);
    if (op.state !== 'done') throw new Conflict(`the ${gate.name} gate after step ${step} opens once that step is done (it is ${op.state})`);
    if ((await authRepo.listGatePasses(trx, lot)).some((p) => p.step === step)) throw new Conflict(`the ${gate.name} gate after step ${step} is already passed`);
    if (signature.role !== gate.role) throw new Forbidden(`the ${gate.name} gate is signed by the ${gate.role} role; yours is ${signature.role}`);
    const checked = check ? await check(trx, { lot, step, name: gate.name, role: gate.role, now }) : {};
    signature.subject = { entity: 'operation-gate', key: operationId({ lot, step }) };
    await appendAudit(trx, {
      ...who,
      reason: input.reason ?? who.reason,
      entity: 'work-order',
      entityKey: lot,
      action: 'pass-gate',
      before: { step, gate: gate.name, passed: false },
      after: { step, gate: gate.name, passed: true, meaning: signature.meaning, signer: signature.printedName, ...checked.auditAfter },
    }, now);
    if (signature.recordedId === undefined) throw new Error('the gate signature was not recorded');
    await authRepo.insertGatePass(trx, { lot, step, passed_at: now, signature_id: signature.recordedId });
    await checked.recorded?.(trx, signature.recordedId);
  });
  return getSignOffs(ctx.db, lot);
}

/**
 * Closes a work order: every operation not yet done is marked done now (leaving its machine's
 * queue), and the completed record is signed. Signing an already completed work order records the
 * signature only.
 */
export async function closeWorkOrder(ctx: OrdersContext, who: Who, lot: string, input: z.infer<typeof signedActionSchema>): Promise<WorkOrder> {
  const signature = requireSignature(who);
  const now = (ctx.now ?? Date.now)();
  // it empties machine queues and re-plans: a plan transaction, which may run again after a deadlock
  return planTransaction(ctx.db, async (trx) => {
    // a signature recorded by an attempt that was rolled back is not recorded
    signature.recordedId = undefined;
    const wo = await requireWorkOrder(trx, lot, input.version);
    if ((await authRepo.listSignatures(trx, { entity: 'work-order', entityKeys: [lot] })).some((s) => s.action === 'close-work-order' && s.record_version === wo.version)) {
      throw new Conflict(`work order '${lot}' is already closed and signed at this version`);
    }
    const ops = await repo.listOperations(trx, [lot]);
    const open = ops.filter((o) => o.state !== 'done');
    const short = open.filter((o) => shortOf(o.good, wo.quantity)).map((o) => `step ${o.step + 1}: ${shortOf(o.good, wo.quantity)}`);
    const reason = short.length > 0 ? requireReason({ ...who, reason: input.reason ?? who.reason }, `closing work order ${lot} short of its quantity (${short.join('; ')})`) : (input.reason ?? who.reason);
    for (const op of open) await markDone(trx, op, now);
    for (const machine of new Set(open.filter((o) => o.state !== 'parked' && o.machine_key).map((o) => o.machine_key as string))) await closeUpQueue(trx, machine);
    await bump(trx, wo, now);
    await appendAudit(trx, {
      ...who,
      reason,
      entity: 'work-order',
      entityKey: lot,
      action: 'close-work-order',
      before: { openSteps: open.map((o) => ({ step: o.step, state: o.state })) },
      after: { status: 'done', meaning: signature.meaning, signer: signature.printedName },
    }, now);
    await replan(trx, ctx.zone, now);
    return getWorkOrderView(trx, ctx.zone, lot, now);
  });
}

/**
 * The signatures of each lot (closing it, and the gates after its steps) as text for exports: the
 * manifestation of each, with "NO LONGER VALID" where the record changed since.
 */
export async function signatureSummaries(db: Executor, lots: string[]): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  if (lots.length === 0) return result;
  // signatures are few (regulated steps only): read them all rather than list thousands of keys
  const wanted = new Set(lots);
  const lotOf = (row: authRepo.SignatureRow) => (row.entity === 'operation-gate' ? parseOperationId(row.entity_key).lot : row.entity_key);
  const rows = [...(await authRepo.listSignatures(db, { entity: 'work-order' })), ...(await authRepo.listSignatures(db, { entity: 'operation-gate' }))]
    .filter((row) => wanted.has(lotOf(row)))
    .sort((a, b) => a.signed_at - b.signed_at);
  for (const view of await viewSignatures(ORDER_SIGNED_CONTENT, db, rows)) {
    const lot = view.entity === 'operation-gate' ? parseOperationId(view.entityKey).lot : view.entityKey;
    const text = manifestation(view);
    result.set(lot, result.has(lot) ? `${result.get(lot)}; ${text}` : text);
  }
  return result;
}
