// Genealogy on all three databases: a kit lot fed by two pouch lots (entered), the routing's derived
// link of a lot's own pouching → kitting, an entered link overriding the derived one, multi-level
// (a combo kit of kits) forward and backward, and the refusals: over-consumption (naming the line),
// unknown lots, self-consumption, cycles and stale versions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../testing/databases.js';
import { seedDatabase } from '../demo/seed.js';
import { listAudit } from '../audit/repository.js';
import { addKitOnlyProduct, addLot } from '../../testing/genealogy.js';
import { Invalid, NotFound, StaleVersion } from '../../core/errors.js';
import { clearConsumption, getConsumption, recordConsumption, type GenealogyContext } from './service.js';
import { traceBackward, traceForward } from './trace.js';
import type { Trace } from './schemas.js';

const who = { actor: 'lead-anna', source: '127.0.0.1', reason: null };
const NOW = Date.UTC(2026, 11, 1, 18, 0, 0);

/** The links of a trace as short strings: "depth consumedLot→kitLot quantity (derived)". */
const links = (t: Trace) => t.links.map((l) => `${l.depth} ${l.consumedLot}/${l.consumedStep}→${l.kitLot}/${l.kitStep} ${l.quantity}${l.derived ? ' derived' : ''}`);

async function refusal(promise: Promise<unknown>): Promise<Invalid> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(Invalid);
  return error as Invalid;
}

describe.each(DIALECTS)('genealogy on %s', (dialect) => {
  let t: TestDatabase;
  let ctx: GenealogyContext;
  beforeAll(async () => {
    t = await createTestDatabase(dialect, 'genealogy');
    await seedDatabase(t.db, t.config, true);
    ctx = { db: t.db, zone: t.config.QMFG_TZ, now: () => NOW };
    await addKitOnlyProduct(t.db, 'combo-kit', 'Combo Kit', '1999001', NOW);
    await addKitOnlyProduct(t.db, 'mega-kit', 'Mega Kit', '1999002', NOW);
    // pouch lots: pouched (step 0 done), their own kitting step not run
    await addLot(t.db, { lot: '159070', product: 'flu-ab', good: [10_000], machines: ['line7', 'kit1'] }, 2, NOW);
    await addLot(t.db, { lot: '159071', product: 'flu-sars', good: [8_000], machines: ['line8'] }, 2, NOW);
    // a lot that went through both of its steps: its pouching fed its own kitting (derived)
    await addLot(t.db, { lot: '0159072', product: 'rsv', good: [5_000, 4_900], machines: ['line9', 'kit2'] }, 2, NOW);
    await addLot(t.db, { lot: 'K1', product: 'combo-kit', good: [4_000], machines: ['kit3'] }, 1, NOW);
    await addLot(t.db, { lot: 'K2', product: 'combo-kit', good: [0] }, 1, NOW);
    await addLot(t.db, { lot: 'M1', product: 'mega-kit', good: [500], machines: ['kit1'] }, 1, NOW);
  });
  afterAll(async () => t?.destroy());

  it('derives the link of a lot whose own pouching step feeds its kitting step, visible as derived', async () => {
    const back = await traceBackward(t.db, '0159072', { zone: ctx.zone, now: NOW });
    expect(links(back)).toEqual(['1 0159072/0→0159072/1 5000 derived']);
    const pouch = back.nodes.find((n) => n.lot === '0159072' && n.step === 0)!;
    expect(pouch).toMatchObject({ machine: 'line9', machineName: 'Line 9', productName: 'RSV FIA', good: 5_000 });
    expect(pouch.start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[78]:00$/); // plant time with its offset
    const forward = await traceForward(t.db, '0159072', { zone: ctx.zone, now: NOW });
    expect(links(forward)).toEqual(['1 0159072/0→0159072/1 5000 derived']);
  });

  it('records a kit lot fed by two pouch lots and traces it both ways', async () => {
    const saved = await recordConsumption(ctx, who, 'K1', { version: 0, lots: [{ lot: '159070', quantity: 3_000 }, { lot: '159071', quantity: 2_000 }] });
    expect(saved).toMatchObject({ lot: 'K1', kitStep: 0, version: 1, entered: true, updatedBy: 'lead-anna' });
    expect(links(saved.backward)).toEqual(['1 159070/0→K1/0 3000', '1 159071/0→K1/0 2000']);
    expect(saved.backward.links[0]).toMatchObject({ enteredBy: 'lead-anna', derived: false });
    expect(saved.backward.nodes.find((n) => n.lot === '159071')).toMatchObject({ machine: 'line8', productName: 'Flu+SARS FIA', state: 'done' });
    // pouch lot 159070 went into K1 (entered) and the rest into its own kitting (derived, what is left)
    const forward = await traceForward(t.db, '159070', { zone: ctx.zone, now: NOW });
    expect(links(forward).sort()).toEqual(['1 159070/0→159070/1 7000 derived', '1 159070/0→K1/0 3000']);
    const audit = await listAudit(t.db, { entity: 'work-order', entityKey: 'K1' });
    expect(audit.map((e) => e.action)).toContain('record-consumption');
    expect(audit.find((e) => e.action === 'record-consumption')?.after).toEqual({ consumed: [{ lot: '159070', step: 0, quantity: 3000 }, { lot: '159071', step: 0, quantity: 2000 }], version: 1 });
  });

  it('lets an entered link override the derived one for that kit lot, and clearing it brings the derived one back', async () => {
    const entered = await recordConsumption(ctx, who, '0159072', { version: 0, lots: [{ lot: '0159072', quantity: 4_900 }] });
    expect(links(entered.backward)).toEqual(['1 0159072/0→0159072/1 4900']);
    const cleared = await clearConsumption(ctx, who, '0159072', 1);
    expect(cleared).toMatchObject({ version: 0, entered: false });
    expect(links(cleared.backward)).toEqual(['1 0159072/0→0159072/1 5000 derived']);
    const actions = (await listAudit(t.db, { entity: 'work-order', entityKey: '0159072' })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['record-consumption', 'clear-consumption']));
  });

  it('traces several levels: a mega kit of a combo kit of pouch lots', async () => {
    await recordConsumption(ctx, who, 'M1', { version: 0, lots: [{ lot: 'K1', quantity: 1_000 }] });
    const forward = await traceForward(t.db, '159071', { zone: ctx.zone, now: NOW });
    expect(links(forward).sort()).toEqual(['1 159071/0→159071/1 6000 derived', '1 159071/0→K1/0 2000', '2 K1/0→M1/0 1000']);
    const backward = await traceBackward(t.db, 'M1', { zone: ctx.zone, now: NOW });
    expect(links(backward)).toEqual(['1 K1/0→M1/0 1000', '2 159070/0→K1/0 3000', '2 159071/0→K1/0 2000']);
    // a recall: both pouch lots at once
    const recall = await traceForward(t.db, ['159070', '159071'], { zone: ctx.zone, now: NOW });
    expect(new Set(recall.links.map((l) => l.kitLot))).toEqual(new Set(['159070', '159071', 'K1', 'M1']));
  });

  it('refuses more than is left of a pouch lot, naming the line of the request', async () => {
    // 159070: 10 000 good, 3 000 already in K1
    const over = await refusal(recordConsumption(ctx, who, 'K2', { version: 0, lots: [{ lot: '159071', quantity: 100 }, { lot: '159070', quantity: 7_001 }] }));
    expect(over.fields).toEqual([{ path: 'body.lots[1].quantity', message: expect.stringContaining('at most 7000 of lot 159070') }]);
    expect(over.fields[0].message).toContain('K1');
    // exactly what is left is fine
    const ok = await recordConsumption(ctx, who, 'K2', { version: 0, lots: [{ lot: '159070', quantity: 7_000 }] });
    expect(ok.version).toBe(1);
    // and now nothing is left for 159070's own kitting: no derived link
    expect(links(await traceForward(t.db, '159070', { zone: ctx.zone, now: NOW })).sort()).toEqual(['1 159070/0→K1/0 3000', '1 159070/0→K2/0 7000', '2 K1/0→M1/0 1000']);
    // re-saving K1 with its own 3000 counts only what others took
    const resaved = await recordConsumption(ctx, who, 'K1', { version: 1, lots: [{ lot: '159070', quantity: 3_000 }, { lot: '159071', quantity: 2_000 }] });
    expect(resaved.version).toBe(2);
  });

  it('refuses unknown lots, a lot listed twice, self-consumption and a cycle', async () => {
    await expect(traceForward(t.db, 'NOPE')).rejects.toBeInstanceOf(NotFound);
    await expect(traceBackward(t.db, 'NOPE')).rejects.toBeInstanceOf(NotFound);
    await expect(recordConsumption(ctx, who, 'NOPE', { version: 0, lots: [{ lot: '159071', quantity: 1 }] })).rejects.toBeInstanceOf(NotFound);
    const unknown = await refusal(recordConsumption(ctx, who, 'K2', { version: 1, lots: [{ lot: '159070', quantity: 1 }, { lot: 'GHOST', quantity: 1 }] }));
    expect(unknown.fields).toEqual([{ path: 'body.lots[1].lot', message: 'no work order has lot GHOST' }]);
    const twice = await refusal(recordConsumption(ctx, who, 'K2', { version: 1, lots: [{ lot: '159071', quantity: 1 }, { lot: '159071', quantity: 1 }] }));
    expect(twice.fields.map((f) => f.path)).toEqual(['body.lots[1].lot']);
    const self = await refusal(recordConsumption(ctx, who, 'K2', { version: 1, lots: [{ lot: 'K2', quantity: 1 }] }));
    expect(self.fields[0]).toMatchObject({ path: 'body.lots[0].lot', message: expect.stringContaining('its own kits') });
    // K1 is in M1: K1 consuming M1 would close a loop
    const cycle = await refusal(recordConsumption(ctx, who, 'K1', { version: 2, lots: [{ lot: 'M1', quantity: 1 }] }));
    expect(cycle.fields[0]).toMatchObject({ path: 'body.lots[0].lot', message: expect.stringContaining('cycle') });
    // a step the consumed lot's routing does not have
    const noStep = await refusal(recordConsumption(ctx, who, 'K2', { version: 1, lots: [{ lot: '159071', quantity: 1, step: 5 }] }));
    expect(noStep.fields).toEqual([{ path: 'body.lots[0].step', message: 'lot 159071 has no step 6' }]);
  });

  it('refuses a stale version with 409 and leaves the consumption as it was', async () => {
    await expect(recordConsumption(ctx, who, 'K1', { version: 1, lots: [{ lot: '159071', quantity: 1 }] })).rejects.toBeInstanceOf(StaleVersion);
    await expect(clearConsumption(ctx, who, 'K1', 1)).rejects.toBeInstanceOf(StaleVersion);
    const now = await getConsumption(t.db, ctx.zone, 'K1', NOW);
    expect(now.version).toBe(2);
    expect(links(now.backward)).toEqual(['1 159070/0→K1/0 3000', '1 159071/0→K1/0 2000']);
    expect(links(now.forward)).toEqual(['1 K1/0→M1/0 1000']);
  });
});
