// Reason trees per process group: versioned, never rewritten — a change stores the next version,
// a removed reason must be retired instead (stops that have it keep it), and every change is
// audited with what changed in words. A group that never saved one offers the starter tree
// (version 0); it is stored as version 1 the first time it is used or edited.
import type { Db, Executor, Tx } from '../../db/database.js';
import type { Who } from '../audit/who.js';
import { appendAudit } from '../audit/repository.js';
import * as plantRepo from '../plant/repository.js';
import * as repo from './repository.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import { checkNewVersion, defaultReasonTree, describeTreeChange, reasonTreeSchema, type ReasonTree } from '../../core/losses/index.js';

export interface TreeVersion {
  group: string;
  version: number;
  tree: ReasonTree;
  createdAt: number | null;
  createdBy: string | null;
}

const parse = (json: string): ReasonTree => reasonTreeSchema.parse(JSON.parse(json));

/** The starter tree a group gets: the pouching one for pouching groups, the generic one otherwise. */
function starterTree(group: { key: string; name: string }): ReasonTree {
  return defaultReasonTree(/pouch|itrak|swab|dipstick/i.test(`${group.key} ${group.name}`) ? 'pouching' : 'generic');
}

async function requireGroup(db: Executor, group: string) {
  const stored = (await plantRepo.listGroups(db)).find((g) => g.key === group);
  if (!stored) throw new NotFound('process group', group);
  return stored;
}

/** The tree offered now for a process group (version 0 = the starter, not stored yet). */
export async function currentTree(db: Executor, group: string): Promise<TreeVersion> {
  const stored = await repo.latestTree(db, group);
  if (stored) return { group, version: stored.version, tree: parse(stored.json), createdAt: stored.createdAt, createdBy: stored.createdBy };
  return { group, version: 0, tree: starterTree(await requireGroup(db, group)), createdAt: null, createdBy: null };
}

/** A stored version, for reading what a stop was given. */
export async function treeAt(db: Executor, group: string, version: number): Promise<TreeVersion | undefined> {
  const stored = await repo.treeVersion(db, group, version);
  return stored && { group, version, tree: parse(stored.json), createdAt: stored.createdAt, createdBy: stored.createdBy };
}

export async function treeHistory(db: Executor, group: string): Promise<TreeVersion[]> {
  await requireGroup(db, group);
  return (await repo.treeVersions(db, group)).map((s) => ({ group, version: s.version, tree: parse(s.json), createdAt: s.createdAt, createdBy: s.createdBy }));
}

/** The current tree, stored (version 1 from the starter) when the group had none: what a reason is chosen from. */
export async function ensureStoredTree(trx: Tx, who: Pick<Who, 'actor'>, group: string, now: number): Promise<TreeVersion> {
  const current = await currentTree(trx, group);
  if (current.version > 0) return current;
  // the starter tree was already what the group offered (version 0): storing it as version 1 changes no
  // content, so it is not a change of its own in the trail — the change that needs it is audited with the version
  await repo.insertTree(trx, { group, version: 1, json: JSON.stringify(current.tree), createdAt: now, createdBy: who.actor });
  return { ...current, version: 1, createdAt: now, createdBy: who.actor };
}

/** Stores the next version of a group's tree when `expectedVersion` is still the current one. */
export async function saveTree(db: Db, who: Who, group: string, input: unknown, expectedVersion: number, now = Date.now()): Promise<TreeVersion> {
  const parsed = reasonTreeSchema.safeParse(input);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({ path: ['body', 'tree', ...i.path].join('.'), message: i.message }));
    throw new Invalid(`the reason tree is not valid: ${fields[0].path}: ${fields[0].message}`, fields);
  }
  const tree = parsed.data;
  return db.transaction().execute(async (trx) => {
    const current = await currentTree(trx, group);
    if (current.version !== expectedVersion) {
      throw new Conflict(`the reason tree of '${group}' was changed by someone else (you edited version ${expectedVersion}, it is now at version ${current.version}); reload and try again`);
    }
    const errors = checkNewVersion(current.tree, tree);
    if (errors.length > 0) {
      const fields = errors.map((e) => ({ path: `body.tree${e.path ? `.${e.path}` : ''}`, message: e.message }));
      throw new Invalid(fields[0].message, fields);
    }
    const changes = describeTreeChange(current.tree, tree);
    if (changes.length === 0) return current;
    const version = current.version + 1;
    if (!(await repo.insertTree(trx, { group, version, json: JSON.stringify(tree), createdAt: now, createdBy: who.actor }))) {
      throw new Conflict(`the reason tree of '${group}' was changed by someone else just now; reload and try again`);
    }
    await appendAudit(trx, { ...who, entity: 'reason-tree', entityKey: group, action: 'update', before: { version: current.version }, after: { version, changes } }, now);
    return { group, version, tree, createdAt: now, createdBy: who.actor };
  });
}
