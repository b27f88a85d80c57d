// SQL of alert rules and subscriptions (the only writer of alert_rules and alert_subscriptions).
import type { Executor } from '../../db/database.js';
import { dialectOf } from '../../db/transaction.js';
import type { AlertKind, AlertRuleInput, RuleSpec } from '../../core/alerts/index.js';

export interface StoredRule extends RuleSpec {
  scope: 'machine' | 'group';
  scopeKey: string;
  role: string | null;
  enabled: boolean;
  version: number;
}

type RuleRow = { id: number; kind: string; scope: string; scope_key: string; minutes: number; percent: number | null; clear_minutes: number; cap_per_hour: number; role: string | null; enabled: number; version: number };

const toRule = (r: RuleRow): StoredRule => ({
  id: Number(r.id), kind: r.kind as AlertKind, scope: r.scope as 'machine' | 'group', scopeKey: r.scope_key, minutes: Number(r.minutes),
  percent: r.percent === null ? null : Number(r.percent), clearMinutes: Number(r.clear_minutes), capPerHour: Number(r.cap_per_hour), role: r.role,
  enabled: Number(r.enabled) === 1, version: Number(r.version),
});

const columns = (input: AlertRuleInput) => ({
  kind: input.kind, scope: input.scope, scope_key: input.scopeKey,
  minutes: input.kind === 'gate-waiting' ? (input.hours ?? 0) * 60 : (input.minutes ?? 0),
  percent: input.percent ?? null, clear_minutes: input.clearMinutes, cap_per_hour: input.capPerHour, role: input.role, enabled: input.enabled ? 1 : 0,
});

export async function listRules(db: Executor): Promise<StoredRule[]> {
  return (await db.selectFrom('alert_rules').selectAll().orderBy('id').execute()).map(toRule);
}

export async function getRule(db: Executor, id: number): Promise<StoredRule | undefined> {
  const row = await db.selectFrom('alert_rules').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRule(row) : undefined;
}

export async function insertRule(db: Executor, input: AlertRuleInput, now: number): Promise<number> {
  const values = { ...columns(input), version: 1, created_at: now, updated_at: now };
  if (dialectOf(db) === 'postgres') return Number((await db.insertInto('alert_rules').values(values).returning('id').executeTakeFirstOrThrow()).id);
  return Number((await db.insertInto('alert_rules').values(values).executeTakeFirstOrThrow()).insertId);
}

/** Updates at the given version; false when it moved on meanwhile. */
export async function updateRule(db: Executor, id: number, input: AlertRuleInput, version: number, now: number): Promise<boolean> {
  const result = await db.updateTable('alert_rules').set({ ...columns(input), version: version + 1, updated_at: now }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteRule(db: Executor, id: number): Promise<boolean> {
  const result = await db.deleteFrom('alert_rules').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export interface Subscription {
  id: number;
  username: string;
  scope: 'machine' | 'group' | 'role';
  scopeKey: string;
}

export async function listSubscriptions(db: Executor, username?: string): Promise<Subscription[]> {
  let query = db.selectFrom('alert_subscriptions').selectAll();
  if (username !== undefined) query = query.where('username', '=', username);
  return (await query.orderBy('id').execute()).map((r) => ({ id: Number(r.id), username: r.username, scope: r.scope as Subscription['scope'], scopeKey: r.scope_key }));
}

export async function insertSubscription(db: Executor, username: string, scope: Subscription['scope'], scopeKey: string, now: number): Promise<void> {
  await db.insertInto('alert_subscriptions').values({ username, scope, scope_key: scopeKey, created_at: now }).execute();
}

export async function deleteSubscription(db: Executor, username: string, id: number): Promise<boolean> {
  const result = await db.deleteFrom('alert_subscriptions').where('id', '=', id).where('username', '=', username).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** E-mail addresses of the users a rule's alert on `machine` (of `group`) goes to: subscribed by machine, group, or the rule's role. */
export async function recipientsOf(db: Executor, machine: string | null, group: string | null, role: string | null): Promise<string[]> {
  const rows = await db
    .selectFrom('alert_subscriptions as s')
    .innerJoin('users as u', 'u.username', 's.username')
    .select(['u.email', 's.scope', 's.scope_key', 'u.role'])
    .where('u.email', 'is not', null)
    .execute();
  const emails = new Set<string>();
  for (const row of rows) {
    const matches =
      (row.scope === 'machine' && row.scope_key === machine) || (row.scope === 'group' && row.scope_key === group) || (row.scope === 'role' && role !== null && row.scope_key === role && row.role === role);
    if (matches && row.email) emails.add(row.email);
  }
  return [...emails].sort();
}
