// Rules of alert administration: rules (admins, audited), users' own subscriptions, the alert list
// and acknowledgement (audited).
import type { Db, Executor } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { Conflict, Invalid, NotFound, StaleVersion } from '../../core/errors.js';
import { ROLES } from '../../core/permissions.js';
import type { AlertRuleInput } from '../../core/alerts/index.js';
import { appendAudit } from '../audit/repository.js';
import type { Who } from '../audit/who.js';
import * as rulesRepo from './repository.js';
import * as alertsRepo from './alerts-repository.js';
import * as observe from './observations-repository.js';
import type { AlertRuleView, AlertView } from './schemas.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function alertView(a: alertsRepo.StoredAlert): AlertView {
  return {
    id: a.id, ruleId: a.ruleId, kind: a.kind, subject: a.subject, machine: a.machine, state: a.state, conditionSince: iso(a.conditionSince)!, raisedAt: iso(a.raisedAt)!,
    resolvedAt: iso(a.resolvedAt), message: a.message, mailed: a.mailed, acknowledgedBy: a.acknowledgedBy, acknowledgedAt: iso(a.acknowledgedAt), ackComment: a.ackComment,
  };
}

const ruleView = (r: rulesRepo.StoredRule): AlertRuleView => ({
  id: r.id, kind: r.kind, scope: r.scope, scopeKey: r.scopeKey, minutes: r.minutes, percent: r.percent, clearMinutes: r.clearMinutes, capPerHour: r.capPerHour, role: r.role, enabled: r.enabled, version: r.version,
});

async function checkScope(db: Executor, scope: 'machine' | 'group' | 'role', key: string, path: string): Promise<void> {
  if (scope === 'role') {
    if (!(ROLES as readonly string[]).includes(key)) throw Invalid.field(path, `is not a role (${ROLES.join(', ')})`);
  } else if (!(await observe.scopeExists(db, scope, key))) {
    throw Invalid.field(path, `no ${scope === 'machine' ? 'machine' : 'process group'} '${key}'`);
  }
}

async function checkRule(db: Executor, input: AlertRuleInput): Promise<void> {
  await checkScope(db, input.scope, input.scopeKey, 'body.scopeKey');
  if (input.role !== null && !(ROLES as readonly string[]).includes(input.role)) throw Invalid.field('body.role', `is not a role (${ROLES.join(', ')})`);
}

export async function listRules(db: Executor): Promise<AlertRuleView[]> {
  return (await rulesRepo.listRules(db)).map(ruleView);
}

export async function createRule(db: Db, who: Who, input: AlertRuleInput, now = Date.now()): Promise<AlertRuleView> {
  await checkRule(db, input);
  return inTransaction(db, async (trx) => {
    const id = await rulesRepo.insertRule(trx, input, now);
    const rule = ruleView((await rulesRepo.getRule(trx, id))!);
    await appendAudit(trx, { ...who, entity: 'alert-rule', entityKey: String(id), action: 'create', before: null, after: rule }, now);
    return rule;
  });
}

export async function updateRule(db: Db, who: Who, id: number, input: AlertRuleInput, version: number, now = Date.now()): Promise<AlertRuleView> {
  await checkRule(db, input);
  return inTransaction(db, async (trx) => {
    const before = await rulesRepo.getRule(trx, id);
    if (!before) throw new NotFound('alert rule', String(id));
    if (before.version !== version || !(await rulesRepo.updateRule(trx, id, input, version, now))) throw new StaleVersion('alert rule', String(id), version, before.version);
    const after = ruleView((await rulesRepo.getRule(trx, id))!);
    await appendAudit(trx, { ...who, entity: 'alert-rule', entityKey: String(id), action: 'update', before: ruleView(before), after }, now);
    return after;
  });
}

export async function deleteRule(db: Db, who: Who, id: number, now = Date.now()): Promise<void> {
  await inTransaction(db, async (trx) => {
    const before = await rulesRepo.getRule(trx, id);
    if (!before || !(await rulesRepo.deleteRule(trx, id))) throw new NotFound('alert rule', String(id));
    await appendAudit(trx, { ...who, entity: 'alert-rule', entityKey: String(id), action: 'delete', before: ruleView(before), after: null }, now);
  });
}

export async function listSubscriptions(db: Executor, username: string) {
  return (await rulesRepo.listSubscriptions(db, username)).map(({ id, scope, scopeKey }) => ({ id, scope, scopeKey }));
}

export async function subscribe(db: Db, username: string, scope: 'machine' | 'group' | 'role', scopeKey: string, now = Date.now()) {
  await checkScope(db, scope, scopeKey, 'body.scopeKey');
  const existing = (await rulesRepo.listSubscriptions(db, username)).find((s) => s.scope === scope && s.scopeKey === scopeKey);
  if (existing) throw new Conflict(`you are already subscribed to ${scope} '${scopeKey}'`);
  await rulesRepo.insertSubscription(db, username, scope, scopeKey, now);
  return (await listSubscriptions(db, username)).find((s) => s.scope === scope && s.scopeKey === scopeKey)!;
}

export async function unsubscribe(db: Db, username: string, id: number): Promise<void> {
  if (!(await rulesRepo.deleteSubscription(db, username, id))) throw new NotFound('subscription', String(id));
}

export async function listAlerts(db: Executor, filter: alertsRepo.AlertFilter): Promise<AlertView[]> {
  return (await alertsRepo.listAlerts(db, filter)).map(alertView);
}

export async function unreadCount(db: Executor): Promise<number> {
  return alertsRepo.countUnacknowledgedOpen(db);
}

export async function acknowledge(db: Db, who: Who, id: number, comment: string, now = Date.now()): Promise<AlertView> {
  return inTransaction(db, async (trx) => {
    const alert = await alertsRepo.getAlert(trx, id);
    if (!alert) throw new NotFound('alert', String(id));
    if (!(await alertsRepo.acknowledge(trx, id, who.actor, comment, now))) throw new Conflict(`alert ${id} was acknowledged already by ${alert.acknowledgedBy ?? 'someone else'}`);
    await appendAudit(trx, { ...who, entity: 'alert', entityKey: String(id), action: 'acknowledge', before: null, after: { comment } }, now);
    return alertView((await alertsRepo.getAlert(trx, id))!);
  });
}
