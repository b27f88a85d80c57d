// Rules of the plant model: referential checks, optimistic concurrency, audit in the same transaction.
import type { Db, Executor } from '../../db/database.js';
import { Conflict, Invalid, NotFound, StaleVersion } from '../../core/errors.js';
import { requireReason } from '../../core/reasons.js';
import { appendAudit } from '../audit/repository.js';
import type { Who } from '../audit/who.js';
import * as repo from './repository.js';
import type {
  Machine, MachineCreate, MachineUpdate, ProcessGroup, ProcessGroupCreate, ProcessGroupUpdate, Product, ProductCreate, ProductUpdate, Site,
} from './schemas.js';

/** Throws 404 when the record is missing and 409 when the client edited an older version. */
export function expectVersion<T extends { version: number }>(entity: string, key: string, current: T | undefined, expected: number | undefined): T {
  if (!current) throw new NotFound(entity, key);
  if (expected !== undefined && current.version !== expected) throw new StaleVersion(entity, key, expected, current.version);
  return current;
}

/** A reference another feature holds on a plant record (e.g. work orders on a machine): what it is, or null. */
export type ReferenceCheck = (db: Executor, key: string) => Promise<string | null>;

/**
 * What the features above plant hold on its records, asked before a change would leave them dangling.
 * Plant cannot know them (it is below them); the app passes them in where it is assembled
 * (server/app.ts), so whether a deletion is checked never depends on what was imported.
 */
export interface PlantReferenceChecks {
  /** references that block deleting a machine */
  machine: readonly ReferenceCheck[];
  /** work a machine still has to do: blocks disabling it or moving it to another process group */
  machineQueue: readonly ReferenceCheck[];
  /** references that block deleting a product */
  product: readonly ReferenceCheck[];
}

const audit = (trx: Parameters<typeof appendAudit>[0], who: Who, entity: string, key: string, action: string, before: unknown, after: unknown) =>
  appendAudit(trx, { actor: who.actor, source: who.source, reason: who.reason, entity, entityKey: key, action, before, after });

// ---- site
export async function getSite(db: Executor): Promise<Site> {
  const site = await repo.getSite(db);
  if (!site) throw new NotFound('site', '1');
  return site;
}
export async function updateSite(db: Db, who: Who, patch: Partial<Site> & { version: number }): Promise<Site> {
  return db.transaction().execute(async (trx) => {
    const before = expectVersion('site', 'site', await repo.getSite(trx), patch.version);
    const next = { ...before, ...patch, timezone: before.timezone };
    if (!(await repo.updateSite(trx, next, patch.version, Date.now()))) throw new StaleVersion('site', 'site', patch.version, patch.version + 1);
    const after = { ...next, version: patch.version + 1 };
    await audit(trx, who, 'site', 'site', 'update', before, after);
    return after;
  });
}

// ---- process groups
export async function createGroup(db: Db, who: Who, input: ProcessGroupCreate): Promise<ProcessGroup> {
  return db.transaction().execute(async (trx) => {
    if (await repo.getGroup(trx, input.key)) throw new Conflict(`process group '${input.key}' already exists`);
    await repo.insertGroup(trx, input, Date.now());
    const created = { ...input, version: 1 };
    await audit(trx, who, 'process-group', input.key, 'create', null, created);
    return created;
  });
}
export async function updateGroup(db: Db, who: Who, key: string, patch: ProcessGroupUpdate): Promise<ProcessGroup> {
  return db.transaction().execute(async (trx) => {
    const before = expectVersion('process group', key, await repo.getGroup(trx, key), patch.version);
    const next = { ...before, ...patch, key };
    if (!(await repo.updateGroup(trx, next, patch.version, Date.now()))) throw new StaleVersion('process group', key, patch.version, patch.version + 1);
    const after = { ...next, version: patch.version + 1 };
    await audit(trx, who, 'process-group', key, 'update', before, after);
    return after;
  });
}
export async function deleteGroup(db: Db, who: Who, key: string, version?: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = expectVersion('process group', key, await repo.getGroup(trx, key), version);
    const refs = await repo.groupReferences(trx, key);
    if (refs.machines.length || refs.products.length) {
      const parts = [
        refs.machines.length ? `machines ${refs.machines.join(', ')}` : '',
        refs.products.length ? `routings of products ${refs.products.join(', ')}` : '',
      ].filter(Boolean);
      throw new Conflict(`process group '${key}' is still used by ${parts.join(' and ')}`);
    }
    const reason = requireReason(who, `deleting process group ${before.name}`);
    await repo.deleteGroup(trx, key);
    await audit(trx, { ...who, reason }, 'process-group', key, 'delete', before, null);
  });
}

// ---- machines
async function requireGroup(db: Executor, group: string, path: string): Promise<void> {
  if (!(await repo.getGroup(db, group))) throw Invalid.field(path, `unknown process group '${group}'`);
}
export async function createMachine(db: Db, who: Who, input: MachineCreate): Promise<Machine> {
  return db.transaction().execute(async (trx) => {
    if (await repo.getMachine(trx, input.key)) throw new Conflict(`machine '${input.key}' already exists`);
    await requireGroup(trx, input.group, 'body.group');
    await repo.insertMachine(trx, input, Date.now());
    const created: Machine = { ...input, lastFamily: null, version: 1 };
    await audit(trx, who, 'machine', input.key, 'create', null, created);
    return created;
  });
}
export async function updateMachine(db: Db, checks: PlantReferenceChecks, who: Who, key: string, patch: MachineUpdate): Promise<Machine> {
  return db.transaction().execute(async (trx) => {
    const before = expectVersion('machine', key, await repo.getMachine(trx, key), patch.version);
    if (patch.group && patch.group !== before.group) await requireGroup(trx, patch.group, 'body.group');
    if ((patch.enabled === false && before.enabled) || (patch.group && patch.group !== before.group)) {
      const queue = await firstReference(checks.machineQueue, trx, key);
      if (queue) throw new Conflict(`${before.name} still has ${queue}; move them to another machine or park them first`);
    }
    const next = { ...before, ...patch, key };
    if (!(await repo.updateMachine(trx, next, patch.version, Date.now()))) throw new StaleVersion('machine', key, patch.version, patch.version + 1);
    const after = { ...next, version: patch.version + 1 };
    await audit(trx, who, 'machine', key, 'update', before, after);
    return after;
  });
}
async function firstReference(checks: readonly ReferenceCheck[], db: Executor, key: string): Promise<string | null> {
  for (const check of checks) {
    const found = await check(db, key);
    if (found) return found;
  }
  return null;
}
export async function deleteMachine(db: Db, checks: PlantReferenceChecks, who: Who, key: string, version?: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = expectVersion('machine', key, await repo.getMachine(trx, key), version);
    const ref = await firstReference(checks.machine, trx, key);
    if (ref) throw new Conflict(`machine '${key}' is still used by ${ref}`);
    const reason = requireReason(who, `deleting machine ${before.name}`);
    await repo.deleteMachine(trx, key);
    await audit(trx, { ...who, reason }, 'machine', key, 'delete', before, null);
  });
}

// ---- products
async function checkProduct(db: Executor, p: ProductCreate, selfKey: string | null): Promise<void> {
  const owner = await repo.findProductByItemNumber(db, p.itemNumber);
  if (owner && owner !== selfKey) throw Invalid.field('body.itemNumber', `item number ${p.itemNumber} already belongs to product '${owner}'`);
  for (const [i, step] of p.routing.entries()) await requireGroup(db, step.group, `body.routing.${i}.group`);
}
export async function createProduct(db: Db, who: Who, input: ProductCreate): Promise<Product> {
  return db.transaction().execute(async (trx) => {
    if (await repo.getProduct(trx, input.key)) throw new Conflict(`product '${input.key}' already exists`);
    await checkProduct(trx, input, null);
    await repo.insertProduct(trx, input, Date.now());
    const created = { ...input, version: 1 };
    await audit(trx, who, 'product', input.key, 'create', null, created);
    return created;
  });
}
export async function updateProduct(db: Db, who: Who, key: string, patch: ProductUpdate): Promise<Product> {
  return db.transaction().execute(async (trx) => {
    const before = expectVersion('product', key, await repo.getProduct(trx, key), patch.version);
    const next = { ...before, ...patch, key };
    await checkProduct(trx, next, key);
    if (!(await repo.updateProduct(trx, next, patch.version, Date.now()))) throw new StaleVersion('product', key, patch.version, patch.version + 1);
    const after = { ...next, version: patch.version + 1 };
    await audit(trx, who, 'product', key, 'update', before, after);
    return after;
  });
}
export async function deleteProduct(db: Db, checks: PlantReferenceChecks, who: Who, key: string, version?: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = expectVersion('product', key, await repo.getProduct(trx, key), version);
    const ref = await firstReference(checks.product, trx, key);
    if (ref) throw new Conflict(`product '${key}' is still used by ${ref}`);
    const reason = requireReason(who, `deleting product ${before.name}`);
    await repo.deleteProduct(trx, key);
    await audit(trx, { ...who, reason }, 'product', key, 'delete', before, null);
  });
}
