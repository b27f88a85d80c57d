// Genealogy over a year of lots: 365 days × 40 pouch lots (pouching → own kitting), 20 combo kit
// lots a day each consuming 1–3 of that day's pouch lots (entered links), 2 mega kits a day each
// consuming 2–3 of the day's combo kits (a second level) — ~23 000 work orders, ~16 000 links. Times
// the trace of src/features/genealogy (iterative frontier: a few indexed queries per level) forward
// from a pouch lot, backward from a mega kit, and a recall of a whole day's pouch lots, against the
// 1 s target; a single indexed lookup as baseline, and a WITH RECURSIVE query over the entered links
// for comparison (it cannot see derived links, which the frontier walk adds from the routing).
// SQLite and PostgreSQL (BENCH_GENEALOGY_DIALECTS=sqlite,postgres,mysql to choose).
import { sql } from 'kysely';
import { seedDatabase } from '../src/features/demo/seed.js';
import { createTestDatabase } from '../src/testing/databases.js';
import { kitOnlyProduct } from '../src/testing/genealogy.js';
import * as plantRepo from '../src/features/plant/repository.js';
import * as repo from '../src/features/genealogy/repository.js';
import { traceBackward, traceForward } from '../src/features/genealogy/trace.js';
import type { Db, DialectName } from '../src/db/database.js';
import { alternate, type Figure } from './lib.js';

const DAYS = 365;
const POUCH_PER_DAY = 40;
const COMBO_PER_DAY = 20;
const MEGA_PER_DAY = 2;
const DAY = 86_400_000;
const START = Date.UTC(2025, 11, 1, 14);
const ZONE = 'America/Los_Angeles';
const POUCH_PRODUCTS = ['flu-ab', 'flu-sars', 'strep-a-plus', 'sars-ag', 'rsv'];

/** A small deterministic generator, so every run seeds the same year. */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
}

const lotOf = (kind: 'P' | 'C' | 'M', day: number, n: number) => `${kind}${String(day).padStart(3, '0')}${String(n).padStart(2, '0')}`;

async function seedYear(db: Db): Promise<{ workOrders: number; links: number }> {
  const now = Date.now();
  await plantRepo.insertProduct(db, kitOnlyProduct('combo-kit', 'Combo Kit', '1999001'), now);
  await plantRepo.insertProduct(db, kitOnlyProduct('mega-kit', 'Mega Kit', '1999002'), now);
  const rnd = random(7);
  const orders: Record<string, unknown>[] = [];
  const operations: Record<string, unknown>[] = [];
  const links: Record<string, unknown>[] = [];
  const sets: Record<string, unknown>[] = [];
  const op = (lot: string, step: number, machine: string, good: number, at: number) => ({
    lot, step, state: 'done', machine_key: machine, position: null, produced: good, good, scrap: 0, observed_rate_per_hour: null, recommended_rate_per_hour: null,
    forecast_start: null, forecast_end: null, forecast_changeover_minutes: 0, forecast_changeover_end: null, late: 0, actual_start: at, actual_end: at + 4 * 3_600_000, pinned: 0,
  });
  const order = (lot: string, product: string, quantity: number) => ({ lot, product_key: product, quantity, due: null, priority: 0, notes: '', rate_mode: null, version: 1, created_at: now, updated_at: now });
  for (let day = 0; day < DAYS; day++) {
    const at = START + day * DAY;
    const pouchLeft = new Map<string, number>();
    for (let n = 0; n < POUCH_PER_DAY; n++) {
      const lot = lotOf('P', day, n);
      const good = 20_000 + Math.floor(rnd() * 30_000);
      orders.push(order(lot, POUCH_PRODUCTS[n % POUCH_PRODUCTS.length], good));
      operations.push(op(lot, 0, `line${6 + (n % 6)}`, good, at), op(lot, 1, `kit${1 + (n % 3)}`, Math.floor(good / 2), at + DAY));
      pouchLeft.set(lot, good);
    }
    const combos: string[] = [];
    for (let n = 0; n < COMBO_PER_DAY; n++) {
      const kit = lotOf('C', day, n);
      combos.push(kit);
      orders.push(order(kit, 'combo-kit', 10_000));
      operations.push(op(kit, 0, `kit${1 + (n % 3)}`, 10_000, at + DAY));
      sets.push({ kit_lot: kit, kit_step: 0, version: 1, updated_at: now, updated_by: 'bench' });
      const inputs = 1 + Math.floor(rnd() * 3);
      for (let i = 0; i < inputs; i++) {
        const source = lotOf('P', day, (n * 2 + i * 7) % POUCH_PER_DAY);
        const quantity = Math.min(3_000, pouchLeft.get(source) ?? 0);
        if (quantity <= 0 || links.some((l, k) => k >= links.length - 3 && l.kit_lot === kit && l.source_lot === source)) continue;
        pouchLeft.set(source, (pouchLeft.get(source) ?? 0) - quantity);
        links.push({ kit_lot: kit, kit_step: 0, source_lot: source, source_step: 0, quantity, entered_at: now, entered_by: 'bench' });
      }
    }
    for (let n = 0; n < MEGA_PER_DAY; n++) {
      const mega = lotOf('M', day, n);
      orders.push(order(mega, 'mega-kit', 2_000));
      operations.push(op(mega, 0, 'kit3', 2_000, at + 2 * DAY));
      sets.push({ kit_lot: mega, kit_step: 0, version: 1, updated_at: now, updated_by: 'bench' });
      const inputs = 2 + Math.floor(rnd() * 2);
      for (let i = 0; i < inputs; i++) links.push({ kit_lot: mega, kit_step: 0, source_lot: combos[(n * 5 + i) % combos.length], source_step: 0, quantity: 1_000, entered_at: now, entered_by: 'bench' });
    }
  }
  await db.transaction().execute(async (trx) => {
    const insert = async (table: 'work_orders' | 'operations' | 'lot_consumptions' | 'kit_consumption_sets', rows: Record<string, unknown>[]) => {
      for (let i = 0; i < rows.length; i += 400) await trx.insertInto(table).values(rows.slice(i, i + 400) as never).execute();
    };
    await insert('work_orders', orders);
    await insert('operations', operations);
    await insert('kit_consumption_sets', sets);
    await insert('lot_consumptions', links);
  });
  return { workOrders: orders.length, links: links.length };
}

/** Entered links reachable forward from one lot, by WITH RECURSIVE (for comparison; no derived links). */
async function recursiveForward(db: Db, lot: string): Promise<number> {
  const rows = await sql<{ kit_lot: string }>`
    WITH RECURSIVE reach(lot, depth) AS (
      SELECT kit_lot, 1 FROM lot_consumptions WHERE source_lot = ${lot}
      UNION
      SELECT c.kit_lot, r.depth + 1 FROM lot_consumptions c JOIN reach r ON c.source_lot = r.lot WHERE r.depth < 50
    )
    SELECT DISTINCT lot AS kit_lot FROM reach`.execute(db);
  return rows.rows.length;
}

async function benchOn(dialect: DialectName): Promise<Figure[]> {
  const database = await createTestDatabase(dialect, 'bench-genealogy');
  try {
    const { db, config } = database;
    await seedDatabase(db, config, true);
    const seeded = await seedYear(db);
    // a pouch lot in a combo kit that is in a mega kit (day 200): two levels forward
    const day = 200;
    const mega = lotOf('M', day, 0);
    const megaInputs = await repo.linksOfKits(db, [mega]);
    const combo = megaInputs[0].sourceLot;
    const pouch = (await repo.linksOfKits(db, [combo]))[0].sourceLot;
    const dayLots = Array.from({ length: POUCH_PER_DAY }, (_, n) => lotOf('P', day, n));
    const forward = await traceForward(db, pouch, { zone: ZONE });
    const backward = await traceBackward(db, mega, { zone: ZONE });
    const recall = await traceForward(db, dayLots, { zone: ZONE });
    if (!forward.links.some((l) => l.kitLot === mega) || backward.links.filter((l) => l.depth === 2).length === 0 || recall.links.length < POUCH_PER_DAY) {
      throw new Error(`the fixture is wrong: forward ${forward.links.length}, backward ${backward.links.length}, recall ${recall.links.length} links`);
    }
    const [lookup, f, b, r, rec] = await alternate(
      [
        () => repo.linksFromSources(db, [pouch]),
        () => traceForward(db, pouch, { zone: ZONE }),
        () => traceBackward(db, mega, { zone: ZONE }),
        () => traceForward(db, dayLots, { zone: ZONE }),
        () => recursiveForward(db, pouch),
      ],
      15,
      2,
    );
    const year = `${dialect}, ${seeded.workOrders} lots, ${seeded.links} links`;
    return [
      { name: `genealogy baseline: one indexed link lookup (${year}) (median)`, value: lookup.median, unit: 'ms', target: 1000 },
      { name: `genealogy: forward trace of pouch lot, ${forward.links.length} links, 2 levels (${dialect}) (median)`, value: f.median, unit: 'ms', target: 1000 },
      { name: `genealogy: backward trace of a mega kit, ${backward.links.length} links (${dialect}) (median)`, value: b.median, unit: 'ms', target: 1000 },
      { name: `genealogy: recall of a day's ${POUCH_PER_DAY} pouch lots, ${recall.links.length} links (${dialect}) (median)`, value: r.median, unit: 'ms', target: 1000 },
      { name: `genealogy: recall p95 (${dialect})`, value: r.p95, unit: 'ms', target: 1000 },
      { name: `genealogy comparison: WITH RECURSIVE forward, entered links only (${dialect}) (median)`, value: rec.median, unit: 'ms', target: 1000 },
    ];
  } finally {
    await database.destroy();
  }
}

export default async function genealogyBench(): Promise<Figure[]> {
  const dialects = (process.env.BENCH_GENEALOGY_DIALECTS ?? 'sqlite,postgres').split(',').map((d) => d.trim()) as DialectName[];
  const figures: Figure[] = [];
  for (const dialect of dialects) figures.push(...(await benchOn(dialect)));
  return figures;
}
