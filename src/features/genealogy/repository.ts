// The only place with SQL for genealogy: the groups whose steps consume lots, the entered
// consumption of kit lots (set + links), and the reads a trace needs (links by source, links by kit,
// QC-release signatures of the lots in a trace). Work orders and operations are read through the
// orders repository, their owner.
import type { Executor } from '../../db/database.js';

export interface ConsumptionLinkRow {
  kitLot: string;
  kitStep: number;
  sourceLot: string;
  sourceStep: number;
  quantity: number;
  enteredAt: number;
  enteredBy: string;
}

export interface ConsumptionSetRow {
  kitLot: string;
  kitStep: number;
  version: number;
  updatedAt: number;
  updatedBy: string;
}

/** A passed gate after a lot's step with the signature that passed it (for "QC release: signed by …"). */
export interface ReleaseRow {
  lot: string;
  step: number;
  passedAt: number;
  printedName: string;
  meaning: string;
  signedAt: number;
}

/** `in` lists are sent in chunks: a recall over many lots must not exceed a dialect's parameter limit. */
const CHUNK = 500;
async function inChunks<T>(keys: readonly string[], read: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(keys)];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += CHUNK) out.push(...(await read(unique.slice(i, i + CHUNK))));
  return out;
}

const toLink = (r: { kit_lot: string; kit_step: number; source_lot: string; source_step: number; quantity: number; entered_at: number; entered_by: string }): ConsumptionLinkRow => ({
  kitLot: r.kit_lot,
  kitStep: Number(r.kit_step),
  sourceLot: r.source_lot,
  sourceStep: Number(r.source_step),
  quantity: Number(r.quantity),
  enteredAt: Number(r.entered_at),
  enteredBy: r.entered_by,
});

const LINK_COLUMNS = ['kit_lot', 'kit_step', 'source_lot', 'source_step', 'quantity', 'entered_at', 'entered_by'] as const;

export async function listConsumingGroups(db: Executor): Promise<string[]> {
  return (await db.selectFrom('genealogy_consuming_groups').select('group_key').orderBy('group_key').execute()).map((r) => r.group_key);
}

/** Entered links whose consumed lot is one of `lots` (forward: where did these lots go). */
export async function linksFromSources(db: Executor, lots: readonly string[]): Promise<ConsumptionLinkRow[]> {
  return inChunks(lots, async (chunk) =>
    (await db.selectFrom('lot_consumptions').select(LINK_COLUMNS).where('source_lot', 'in', chunk).orderBy('id').execute()).map(toLink),
  );
}

/** Entered links of the kit lots `lots` (backward: what is in these kit lots). */
export async function linksOfKits(db: Executor, lots: readonly string[]): Promise<ConsumptionLinkRow[]> {
  return inChunks(lots, async (chunk) =>
    (await db.selectFrom('lot_consumptions').select(LINK_COLUMNS).where('kit_lot', 'in', chunk).orderBy('id').execute()).map(toLink),
  );
}

export async function listConsumptionSets(db: Executor, lots: readonly string[]): Promise<ConsumptionSetRow[]> {
  return inChunks(lots, async (chunk) =>
    (await db.selectFrom('kit_consumption_sets').selectAll().where('kit_lot', 'in', chunk).execute()).map((r) => ({
      kitLot: r.kit_lot,
      kitStep: Number(r.kit_step),
      version: Number(r.version),
      updatedAt: Number(r.updated_at),
      updatedBy: r.updated_by,
    })),
  );
}

export async function getConsumptionSet(db: Executor, kitLot: string): Promise<ConsumptionSetRow | undefined> {
  return (await listConsumptionSets(db, [kitLot]))[0];
}

/**
 * Replaces the entered consumption of a kit lot when its version still is `expectedVersion` (0 = none
 * entered yet). False = somebody else saved first (the conditional update matched nothing, or a
 * concurrent first save inserted the set row before us).
 */
export async function replaceConsumption(
  db: Executor,
  set: { kitLot: string; kitStep: number; expectedVersion: number; now: number; actor: string },
  links: readonly { sourceLot: string; sourceStep: number; quantity: number }[],
): Promise<boolean> {
  const { kitLot, kitStep, expectedVersion, now, actor } = set;
  if (expectedVersion === 0) {
    try {
      await db.insertInto('kit_consumption_sets').values({ kit_lot: kitLot, kit_step: kitStep, version: 1, updated_at: now, updated_by: actor }).execute();
    } catch {
      return false; // the primary key says another first save won
    }
  } else {
    const res = await db
      .updateTable('kit_consumption_sets')
      .set({ version: expectedVersion + 1, kit_step: kitStep, updated_at: now, updated_by: actor })
      .where('kit_lot', '=', kitLot)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return false;
  }
  await db.deleteFrom('lot_consumptions').where('kit_lot', '=', kitLot).execute();
  if (links.length > 0) {
    await db
      .insertInto('lot_consumptions')
      .values(links.map((l) => ({ kit_lot: kitLot, kit_step: kitStep, source_lot: l.sourceLot, source_step: l.sourceStep, quantity: l.quantity, entered_at: now, entered_by: actor })))
      .execute();
  }
  return true;
}

/** Removes the entered consumption of a kit lot (the derived link applies again); false = stale version. */
export async function deleteConsumption(db: Executor, kitLot: string, expectedVersion: number): Promise<boolean> {
  const res = await db.deleteFrom('kit_consumption_sets').where('kit_lot', '=', kitLot).where('version', '=', expectedVersion).executeTakeFirst();
  if (Number(res.numDeletedRows) !== 1) return false;
  await db.deleteFrom('lot_consumptions').where('kit_lot', '=', kitLot).execute();
  return true;
}

/** Passed gates of these lots with their signer (read-only: gate passes and signatures are auth's). */
export async function releasesOf(db: Executor, lots: readonly string[]): Promise<ReleaseRow[]> {
  return inChunks(lots, async (chunk) =>
    (
      await db
        .selectFrom('gate_passes')
        .innerJoin('signatures', 'signatures.id', 'gate_passes.signature_id')
        .select(['gate_passes.lot', 'gate_passes.step', 'gate_passes.passed_at', 'signatures.printed_name', 'signatures.meaning', 'signatures.signed_at'])
        .where('gate_passes.lot', 'in', chunk)
        .execute()
    ).map((r) => ({ lot: r.lot, step: Number(r.step), passedAt: Number(r.passed_at), printedName: r.printed_name, meaning: r.meaning, signedAt: Number(r.signed_at) })),
  );
}
