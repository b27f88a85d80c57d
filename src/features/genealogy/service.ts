// Rules of recording what a kit lot consumed: entered by an operator (own lines) or lead through the
// API / work-order page, replacing the routing's derived link for that kit lot; validated against
// the consumed lots' good output and for cycles; versioned; every change audited in its transaction.
import type { Db, Executor } from '../../db/database.js';
import { Invalid, NotFound, StaleVersion, type FieldError } from '../../core/errors.js';
import { appendAudit } from '../audit/repository.js';
import type { Who } from '../audit/who.js';
import { LotBook, nodeKey, type LotNodeRef } from './lots.js';
import * as repo from './repository.js';
import { plantIso, traceBackward, traceForward } from './trace.js';
import { walkForward } from './walk.js';
import type { Consumption, ConsumptionUpdate } from './schemas.js';

export interface GenealogyContext {
  db: Db;
  zone: string;
  now?: () => number;
}

const ENTITY = 'work-order';

/** The kit lot's consumption (entered or derived) and where its output went, for its work-order page. */
export async function getConsumption(db: Executor, zone: string, lot: string, now = Date.now()): Promise<Consumption> {
  const book = await LotBook.open(db);
  const [backward, forward, set] = await Promise.all([traceBackward(db, lot, { zone, now, book }), traceForward(db, lot, { zone, now, book }), repo.getConsumptionSet(db, lot)]);
  return {
    lot,
    kitStep: book.info(lot)?.consumingStep ?? null,
    version: set?.version ?? 0,
    entered: Boolean(set),
    derivable: (book.info(lot)?.ownFeedStep ?? null) !== null,
    updatedBy: set?.updatedBy ?? null,
    updatedAt: set ? plantIso(set.updatedAt, zone) : null,
    backward,
    forward,
  };
}

/** The kit lot's consuming step, or a 404 (no such lot) / 400 (its routing consumes nothing). */
async function requireKit(book: LotBook, lot: string): Promise<number> {
  await book.load([lot]);
  const info = book.info(lot);
  if (!info) throw new NotFound('work order', lot);
  if (info.consumingStep === null) {
    throw Invalid.field('params.lot', `lot ${lot} (${info.product?.name ?? 'unknown product'}) has no kitting step: only a lot that consumes other lots records consumption`);
  }
  return info.consumingStep;
}

const describe = (links: readonly { sourceLot: string; sourceStep: number; quantity: number }[]) => links.map((l) => ({ lot: l.sourceLot, step: l.sourceStep, quantity: l.quantity }));

/**
 * Checks every consumed lot of the request; all problems at once, each naming its field
 * (`body.lots[1].quantity`): the lot exists, is not listed twice, is not the kit's own kitting output
 * or anything downstream of it (a cycle), and the quantity is within what is left of its good output.
 */
async function validate(db: Executor, book: LotBook, kit: LotNodeRef, input: ConsumptionUpdate): Promise<{ sourceLot: string; sourceStep: number; quantity: number }[]> {
  const errors: FieldError[] = [];
  await book.load(input.lots.map((l) => l.lot));
  const resolved = input.lots.map((entry, i) => {
    const info = book.info(entry.lot);
    if (!info) {
      errors.push({ path: `body.lots[${i}].lot`, message: `no work order has lot ${entry.lot}` });
      return null;
    }
    const step = entry.step ?? info.sourceStep;
    if (!info.operations.has(step)) {
      errors.push({ path: `body.lots[${i}].step`, message: `lot ${entry.lot} has no step ${step + 1}` });
      return null;
    }
    return { index: i, sourceLot: entry.lot, sourceStep: step, quantity: entry.quantity };
  });
  const seen = new Set<string>();
  for (const r of resolved) {
    if (!r) continue;
    const key = nodeKey({ lot: r.sourceLot, step: r.sourceStep });
    if (seen.has(key)) errors.push({ path: `body.lots[${r.index}].lot`, message: `lot ${r.sourceLot} is listed twice; enter its quantity once` });
    seen.add(key);
    if (r.sourceLot === kit.lot && r.sourceStep >= kit.step) errors.push({ path: `body.lots[${r.index}].lot`, message: `kit lot ${kit.lot} cannot consume its own kits` });
  }
  // a cycle: the consumed lot already contains this kit lot (somewhere downstream of its kitting)
  const downstream = new Set((await walkForward(db, book, [kit])).nodes.map(nodeKey));
  // what other kit lots already took from each consumed lot's output (entered links only: the
  // derived link of a lot's own kitting takes what is left, it never blocks an entered one)
  const taken = await repo.linksFromSources(db, resolved.flatMap((r) => (r ? [r.sourceLot] : [])));
  for (const r of resolved) {
    if (!r) continue;
    const node = { lot: r.sourceLot, step: r.sourceStep };
    if (r.sourceLot !== kit.lot && downstream.has(nodeKey(node))) {
      errors.push({ path: `body.lots[${r.index}].lot`, message: `lot ${r.sourceLot} already contains kit lot ${kit.lot}: consuming it would make a cycle` });
      continue;
    }
    const others = taken.filter((l) => l.sourceLot === r.sourceLot && l.sourceStep === r.sourceStep && l.kitLot !== kit.lot);
    const good = book.good(node);
    const left = good - others.reduce((sum, l) => sum + l.quantity, 0);
    if (r.quantity > left) {
      const by = others.length > 0 ? ` (${good} good, ${good - left} already in kit lot${others.length > 1 ? 's' : ''} ${[...new Set(others.map((l) => l.kitLot))].join(', ')})` : ` (${good} good)`;
      errors.push({ path: `body.lots[${r.index}].quantity`, message: `at most ${Math.max(0, left)} of lot ${r.sourceLot} are left to consume${by}` });
    }
  }
  if (errors.length > 0) throw new Invalid(errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
  return resolved.flatMap((r) => (r ? [{ sourceLot: r.sourceLot, sourceStep: r.sourceStep, quantity: r.quantity }] : []));
}

/** Records (replaces) what kit lot `lot` consumed; the derived link no longer applies to it. */
export async function recordConsumption(ctx: GenealogyContext, who: Who, lot: string, input: ConsumptionUpdate): Promise<Consumption> {
  const now = (ctx.now ?? Date.now)();
  await ctx.db.transaction().execute(async (trx) => {
    const book = await LotBook.open(trx);
    const kitStep = await requireKit(book, lot);
    const current = await repo.getConsumptionSet(trx, lot);
    const currentVersion = current?.version ?? 0;
    if (input.version !== currentVersion) throw new StaleVersion('consumption of kit lot', lot, input.version, currentVersion);
    const before = current ? describe(await repo.linksOfKits(trx, [lot])) : 'derived from the routing';
    const links = await validate(trx, book, { lot, step: kitStep }, input);
    if (!(await repo.replaceConsumption(trx, { kitLot: lot, kitStep, expectedVersion: currentVersion, now, actor: who.actor }, links))) {
      const latest = (await repo.getConsumptionSet(trx, lot))?.version ?? currentVersion + 1;
      throw new StaleVersion('consumption of kit lot', lot, input.version, latest);
    }
    await appendAudit(trx, { ...who, reason: input.reason ?? who.reason, entity: ENTITY, entityKey: lot, action: 'record-consumption', before: { consumed: before }, after: { consumed: describe(links), version: currentVersion + 1 } }, now);
  });
  return getConsumption(ctx.db, ctx.zone, lot, now);
}

/** Removes what was entered for kit lot `lot`: the routing's derived link applies again. */
export async function clearConsumption(ctx: GenealogyContext, who: Who, lot: string, version: number, reason?: string): Promise<Consumption> {
  const now = (ctx.now ?? Date.now)();
  await ctx.db.transaction().execute(async (trx) => {
    const book = await LotBook.open(trx);
    await requireKit(book, lot);
    const current = await repo.getConsumptionSet(trx, lot);
    if (!current || current.version !== version) throw new StaleVersion('consumption of kit lot', lot, version, current?.version ?? 0);
    const before = describe(await repo.linksOfKits(trx, [lot]));
    if (!(await repo.deleteConsumption(trx, lot, version))) throw new StaleVersion('consumption of kit lot', lot, version, current.version + 1);
    await appendAudit(trx, { ...who, reason: reason ?? who.reason, entity: ENTITY, entityKey: lot, action: 'clear-consumption', before: { consumed: before }, after: { consumed: 'derived from the routing' } }, now);
  });
  return getConsumption(ctx.db, ctx.zone, lot, now);
}
