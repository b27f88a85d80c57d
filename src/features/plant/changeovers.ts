// Rules of product families and changeover matrices (issue 15): a process group's matrix is read and
// replaced whole, under its own version, in one audited change; a rule names known families or `*`;
// a machine's last family is set or cleared by the planner (audited). Field errors name the rule's path.
import type { Db, Executor } from '../../db/database.js';
import { Invalid, NotFound, StaleVersion, type FieldError } from '../../core/errors.js';
import { ANY_FAMILY } from '../../core/schedule/types.js';
import { appendAudit } from '../audit/repository.js';
import type { Who } from '../audit/who.js';
import * as repo from './repository.js';
import { expectVersion } from './service.js';
import type { ChangeoverMatrix, ChangeoverMatrixUpdate, ChangeoverRuleInput, LastFamilyUpdate, Machine } from './schemas.js';

export const CHANGEOVER_ENTITY = 'changeover-matrix';

/** A group's matrix with the families its rules may name. */
export async function getChangeoverMatrix(db: Executor, group: string): Promise<ChangeoverMatrix> {
  const version = await repo.changeoverVersion(db, group);
  if (version === undefined) throw new NotFound('process group', group);
  const [rules, families] = await Promise.all([repo.listChangeoverRules(db, group), repo.knownFamilies(db)]);
  return { group, version, rules: rules.map(({ from, to, minutes }) => ({ from, to, minutes })), families };
}

/**
 * What is wrong with a matrix, each at the path of its rule (`body.rules.2.to`): a family that is
 * neither `*` nor some product's, a pair given twice, minutes that are not a number of at most a week
 * (the schema checks those too; the service must not trust its callers).
 */
export function matrixErrors(rules: readonly ChangeoverRuleInput[], families: ReadonlySet<string>): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  rules.forEach((rule, i) => {
    const at = `body.rules.${i}`;
    for (const side of ['from', 'to'] as const) {
      const family = rule[side];
      if (family !== ANY_FAMILY && !families.has(family)) errors.push({ path: `${at}.${side}`, message: `unknown family '${family}'` });
    }
    if (!Number.isFinite(rule.minutes) || rule.minutes < 0) errors.push({ path: `${at}.minutes`, message: 'must be a number ≥ 0' });
    else if (rule.minutes > 7 * 24 * 60) errors.push({ path: `${at}.minutes`, message: 'must be at most 10080 (7 days)' });
    const pair = `${rule.from}\u0000${rule.to}`;
    const first = seen.get(pair);
    if (first !== undefined) errors.push({ path: `${at}.from`, message: `${rule.from} → ${rule.to} is already rule ${first + 1}` });
    else seen.set(pair, i);
  });
  return errors;
}

/** Replaces a group's matrix (stale version → 409); one audit entry with the matrix before and after. */
export async function replaceChangeoverMatrix(db: Db, who: Who, group: string, update: ChangeoverMatrixUpdate): Promise<ChangeoverMatrix> {
  return db.transaction().execute(async (trx) => {
    const before = await getChangeoverMatrix(trx, group);
    if (before.version !== update.version) throw new StaleVersion('changeover matrix', group, update.version, before.version);
    const rules = update.rules.map((r) => ({ from: r.from.trim(), to: r.to.trim(), minutes: r.minutes }));
    const errors = matrixErrors(rules, new Set(before.families));
    if (errors.length > 0) throw new Invalid(errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
    if (!(await repo.replaceChangeoverRules(trx, group, rules, update.version, Date.now()))) {
      throw new StaleVersion('changeover matrix', group, update.version, update.version + 1);
    }
    const after: ChangeoverMatrix = { ...before, version: update.version + 1, rules };
    await appendAudit(trx, {
      actor: who.actor, source: who.source, reason: who.reason, entity: CHANGEOVER_ENTITY, entityKey: group, action: 'update',
      before: { version: before.version, rules: before.rules }, after: { version: after.version, rules },
    });
    return after;
  });
}

/** Sets (or, with null, clears) the family a machine last ran, as the planner knows it; audited. */
export async function setLastFamily(db: Db, who: Who, key: string, update: LastFamilyUpdate): Promise<Machine> {
  return db.transaction().execute(async (trx) => {
    const before = expectVersion('machine', key, await repo.getMachine(trx, key), update.version);
    if (update.family !== null && !(await repo.knownFamilies(trx)).includes(update.family)) {
      throw Invalid.field('body.family', `unknown family '${update.family}'`);
    }
    if (!(await repo.setMachineLastFamily(trx, key, update.family, before.version, Date.now()))) {
      throw new StaleVersion('machine', key, before.version, before.version + 1);
    }
    const after: Machine = { ...before, lastFamily: update.family, version: before.version + 1 };
    await appendAudit(trx, {
      actor: who.actor, source: who.source, reason: who.reason, entity: 'machine', entityKey: key, action: 'last-family',
      before: { lastFamily: before.lastFamily, version: before.version }, after: { lastFamily: after.lastFamily, version: after.version },
    });
    return after;
  });
}
