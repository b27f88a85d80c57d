// The only place with SQL for the plant model (site, process groups, machines, products, routings).
import type { Executor } from '../../db/database.js';
import { dialectOf } from '../../db/transaction.js';
import type { ChangeoverRuleTable, MachineTable, ProcessGroupTable, ProductTable, RoutingStepTable, SiteTable } from '../../db/tables/plant.js';
import type { ChangeoverRuleInput, Machine, MachineCreate, ProcessGroup, ProcessGroupCreate, Product, ProductCreate, RoutingStep, Site } from './schemas.js';

const toSite = (r: SiteTable): Site => ({
  name: r.name,
  timezone: r.timezone,
  defaultRateMode: r.default_rate_mode,
  observedWindowHours: Number(r.observed_window_hours),
  version: Number(r.version),
});
const toGroup = (r: ProcessGroupTable): ProcessGroup => ({ key: r.key, name: r.name, sortOrder: Number(r.sort_order), version: Number(r.version) });
const toMachine = (r: MachineTable): Machine => ({
  key: r.key,
  name: r.name,
  group: r.group_key,
  enabled: Number(r.enabled) === 1,
  oeeProfile: r.oee_profile,
  dataFolder: r.data_folder,
  sortOrder: Number(r.sort_order),
  lastFamily: r.last_family ?? null,
  version: Number(r.version),
});
const toStep = (r: RoutingStepTable): RoutingStep => ({
  group: r.group_key,
  ratePerHour: Number(r.rate_per_hour),
  setupMinutes: Number(r.setup_minutes),
  gate: r.gate_name ? { name: r.gate_name, hours: Number(r.gate_hours ?? 0), role: r.gate_role as NonNullable<RoutingStep['gate']>['role'] } : null,
});
const toProduct = (r: ProductTable, steps: RoutingStepTable[]): Product => ({
  key: r.key,
  name: r.name,
  shortName: r.short_name,
  itemNumber: r.item_number,
  color: r.color,
  family: r.family ?? null,
  routing: steps.sort((a, b) => a.step_index - b.step_index).map(toStep),
  version: Number(r.version),
});

// ---- site
export async function getSite(db: Executor): Promise<Site | undefined> {
  const row = await db.selectFrom('site').selectAll().where('id', '=', 1).executeTakeFirst();
  return row && toSite(row);
}
export async function insertSite(db: Executor, site: Omit<Site, 'version'>, now: number): Promise<void> {
  await db
    .insertInto('site')
    .values({ id: 1, name: site.name, timezone: site.timezone, default_rate_mode: site.defaultRateMode, observed_window_hours: site.observedWindowHours, version: 1, updated_at: now })
    .execute();
}
export async function updateSite(db: Executor, site: Site, expectedVersion: number, now: number): Promise<boolean> {
  const res = await db
    .updateTable('site')
    .set({ name: site.name, default_rate_mode: site.defaultRateMode, observed_window_hours: site.observedWindowHours, version: expectedVersion + 1, updated_at: now })
    .where('id', '=', 1)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

// ---- process groups
export async function listGroups(db: Executor): Promise<ProcessGroup[]> {
  const rows = await db.selectFrom('process_groups').selectAll().orderBy('sort_order').orderBy('key').execute();
  const counts = await db.selectFrom('machines').select(['group_key', db.fn.countAll<number>().as('n')]).groupBy('group_key').execute();
  const byGroup = new Map(counts.map((c) => [c.group_key, Number(c.n)]));
  return rows.map((r) => ({ ...toGroup(r), machineCount: byGroup.get(r.key) ?? 0 }));
}
export async function getGroup(db: Executor, key: string): Promise<ProcessGroup | undefined> {
  const row = await db.selectFrom('process_groups').selectAll().where('key', '=', key).executeTakeFirst();
  return row && toGroup(row);
}
export async function insertGroup(db: Executor, g: ProcessGroupCreate, now: number): Promise<void> {
  await db.insertInto('process_groups').values({ key: g.key, name: g.name, sort_order: g.sortOrder, version: 1, changeover_version: 1, created_at: now, updated_at: now }).execute();
}
export async function updateGroup(db: Executor, g: ProcessGroup, expectedVersion: number, now: number): Promise<boolean> {
  const res = await db
    .updateTable('process_groups')
    .set({ name: g.name, sort_order: g.sortOrder, version: expectedVersion + 1, updated_at: now })
    .where('key', '=', g.key)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
export async function deleteGroup(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('changeover_rules').where('group_key', '=', key).execute();
  await db.deleteFrom('process_groups').where('key', '=', key).execute();
}
/** What still refers to a process group (blocks its deletion). */
export async function groupReferences(db: Executor, key: string): Promise<{ machines: string[]; products: string[] }> {
  const machines = await db.selectFrom('machines').select('key').where('group_key', '=', key).orderBy('key').execute();
  const products = await db.selectFrom('routing_steps').select('product_key').distinct().where('group_key', '=', key).orderBy('product_key').execute();
  return { machines: machines.map((m) => m.key), products: products.map((p) => p.product_key) };
}

// ---- machines
export async function listMachines(db: Executor, group?: string): Promise<Machine[]> {
  let q = db.selectFrom('machines').selectAll();
  if (group) q = q.where('group_key', '=', group);
  const rows = await q.orderBy('group_key').orderBy('sort_order').orderBy('key').execute();
  return rows.map(toMachine);
}
export async function getMachine(db: Executor, key: string): Promise<Machine | undefined> {
  const row = await db.selectFrom('machines').selectAll().where('key', '=', key).executeTakeFirst();
  return row && toMachine(row);
}
/**
 * Takes the row locks of every machine, in key order, until the transaction ends: what changes
 * machine queues or forecasts takes them first, so such transactions run one after the other
 * instead of deadlocking (the plan is plant-wide: one move re-plans every machine). SQLite has no
 * row locks and needs none: it has a single writer.
 */
export async function lockMachines(db: Executor): Promise<void> {
  if (dialectOf(db) === 'sqlite') return;
  await db.selectFrom('machines').select('key').orderBy('key').forUpdate().execute();
}
export async function insertMachine(db: Executor, m: MachineCreate, now: number): Promise<void> {
  await db
    .insertInto('machines')
    .values({
      key: m.key, name: m.name, group_key: m.group, enabled: m.enabled ? 1 : 0, oee_profile: m.oeeProfile,
      data_folder: m.dataFolder, sort_order: m.sortOrder, version: 1, last_family: null, last_family_set_at: null, created_at: now, updated_at: now,
    })
    .execute();
}
export async function updateMachine(db: Executor, m: Machine, expectedVersion: number, now: number): Promise<boolean> {
  const res = await db
    .updateTable('machines')
    .set({
      name: m.name, group_key: m.group, enabled: m.enabled ? 1 : 0, oee_profile: m.oeeProfile, data_folder: m.dataFolder,
      sort_order: m.sortOrder, version: expectedVersion + 1, updated_at: now,
    })
    .where('key', '=', m.key)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
export async function deleteMachine(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('machines').where('key', '=', key).execute();
}

/** The family the planner last set for a machine (null = unknown or cleared) and when; the machine's version moves on. */
export async function setMachineLastFamily(db: Executor, key: string, family: string | null, expectedVersion: number, now: number): Promise<boolean> {
  const res = await db
    .updateTable('machines')
    .set({ last_family: family, last_family_set_at: now, version: expectedVersion + 1, updated_at: now })
    .where('key', '=', key)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Per machine: the family the planner set and when (the planner's snapshot weighs it against finished jobs). */
export async function machineLastFamilies(db: Executor): Promise<Map<string, { family: string | null; setAt: number | null }>> {
  const rows = await db.selectFrom('machines').select(['key', 'last_family', 'last_family_set_at']).execute();
  return new Map(rows.map((r) => [r.key, { family: r.last_family ?? null, setAt: r.last_family_set_at === null ? null : Number(r.last_family_set_at) }]));
}

// ---- changeover matrices
const toRule = (r: Omit<ChangeoverRuleTable, 'id'>) => ({ group: r.group_key, from: r.from_family, to: r.to_family, minutes: Number(r.minutes) });

/** The version of a group's changeover matrix; undefined when the group does not exist. */
export async function changeoverVersion(db: Executor, group: string): Promise<number | undefined> {
  const row = await db.selectFrom('process_groups').select('changeover_version').where('key', '=', group).executeTakeFirst();
  return row ? Number(row.changeover_version) : undefined;
}
/** Rules of one group (or of every group), in a stable order. */
export async function listChangeoverRules(db: Executor, group?: string): Promise<{ group: string; from: string; to: string; minutes: number }[]> {
  let q = db.selectFrom('changeover_rules').selectAll();
  if (group !== undefined) q = q.where('group_key', '=', group);
  const rows = await q.orderBy('group_key').orderBy('id').execute();
  return rows.map(toRule);
}
/** Replaces a group's matrix whole when its version still is `expectedVersion`; false = somebody else saved first. */
export async function replaceChangeoverRules(db: Executor, group: string, rules: readonly ChangeoverRuleInput[], expectedVersion: number, now: number): Promise<boolean> {
  const res = await db
    .updateTable('process_groups')
    .set({ changeover_version: expectedVersion + 1, updated_at: now })
    .where('key', '=', group)
    .where('changeover_version', '=', expectedVersion)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) return false;
  await db.deleteFrom('changeover_rules').where('group_key', '=', group).execute();
  if (rules.length > 0) {
    await db.insertInto('changeover_rules').values(rules.map((r) => ({ group_key: group, from_family: r.from, to_family: r.to, minutes: r.minutes }))).execute();
  }
  return true;
}
/** Every family some product has (a product without one is its own), sorted. */
export async function knownFamilies(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('products').select(['key', 'family']).execute();
  return [...new Set(rows.map((r) => r.family ?? r.key))].sort();
}

// ---- products and routings
export async function listProducts(db: Executor): Promise<Product[]> {
  const rows = await db.selectFrom('products').selectAll().orderBy('key').execute();
  const steps = await db.selectFrom('routing_steps').selectAll().execute();
  const byProduct = new Map<string, RoutingStepTable[]>();
  for (const s of steps) byProduct.set(s.product_key, [...(byProduct.get(s.product_key) ?? []), s]);
  return rows.map((r) => toProduct(r, byProduct.get(r.key) ?? []));
}
export async function getProduct(db: Executor, key: string): Promise<Product | undefined> {
  const row = await db.selectFrom('products').selectAll().where('key', '=', key).executeTakeFirst();
  if (!row) return undefined;
  const steps = await db.selectFrom('routing_steps').selectAll().where('product_key', '=', key).execute();
  return toProduct(row, steps);
}
export async function findProductByItemNumber(db: Executor, itemNumber: string): Promise<string | undefined> {
  const row = await db.selectFrom('products').select('key').where('item_number', '=', itemNumber).executeTakeFirst();
  return row?.key;
}
async function writeRouting(db: Executor, productKey: string, routing: RoutingStep[]): Promise<void> {
  await db.deleteFrom('routing_steps').where('product_key', '=', productKey).execute();
  if (routing.length === 0) return;
  await db
    .insertInto('routing_steps')
    .values(
      routing.map((s, i) => ({
        product_key: productKey, step_index: i, group_key: s.group, rate_per_hour: s.ratePerHour, setup_minutes: s.setupMinutes,
        gate_name: s.gate?.name ?? null, gate_hours: s.gate?.hours ?? null, gate_role: s.gate?.role ?? null,
      })),
    )
    .execute();
}
export async function insertProduct(db: Executor, p: ProductCreate, now: number): Promise<void> {
  await db
    .insertInto('products')
    .values({ key: p.key, name: p.name, short_name: p.shortName, item_number: p.itemNumber, color: p.color, family: p.family ?? null, version: 1, created_at: now, updated_at: now })
    .execute();
  await writeRouting(db, p.key, p.routing);
}
export async function updateProduct(db: Executor, p: Product, expectedVersion: number, now: number): Promise<boolean> {
  const res = await db
    .updateTable('products')
    .set({ name: p.name, short_name: p.shortName, item_number: p.itemNumber, color: p.color, family: p.family ?? null, version: expectedVersion + 1, updated_at: now })
    .where('key', '=', p.key)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) return false;
  await writeRouting(db, p.key, p.routing);
  return true;
}
export async function deleteProduct(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('routing_steps').where('product_key', '=', key).execute();
  await db.deleteFrom('products').where('key', '=', key).execute();
}

// ---- planned machine downtime (a machine down while the site works: maintenance, a published what-if "line down")
export interface MachineDowntime {
  id: number;
  machine: string;
  start: number;
  end: number;
  reason: string;
  createdBy: string;
  createdAt: number;
}
/** Downtime of every machine that ends after `after` (all of it without), in start order. */
export async function listMachineDowntime(db: Executor, after?: number): Promise<MachineDowntime[]> {
  let q = db.selectFrom('machine_downtime').selectAll();
  if (after !== undefined) q = q.where('end_at', '>', after);
  const rows = await q.orderBy('start_at').orderBy('id').execute();
  return rows.map((r) => ({ id: Number(r.id), machine: r.machine_key, start: Number(r.start_at), end: Number(r.end_at), reason: r.reason, createdBy: r.created_by, createdAt: Number(r.created_at) }));
}
/** Stores one downtime; returns its id. */
export async function insertMachineDowntime(db: Executor, d: Omit<MachineDowntime, 'id'>): Promise<number> {
  const values = { machine_key: d.machine, start_at: d.start, end_at: d.end, reason: d.reason, created_by: d.createdBy, created_at: d.createdAt };
  if (dialectOf(db) === 'postgres') return Number((await db.insertInto('machine_downtime').values(values).returning('id').executeTakeFirstOrThrow()).id);
  return Number((await db.insertInto('machine_downtime').values(values).executeTakeFirstOrThrow()).insertId);
}
export async function deleteMachineDowntime(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('machine_downtime').where('id', '=', id).execute();
}
