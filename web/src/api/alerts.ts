// Endpoints of alerts (/api/alerts), typed by the server's schemas.
import { z } from 'zod';
import { alertRuleSchema, alertSchema, subscriptionSchema, unreadSchema, type AlertRuleView } from '../../../src/features/alerts/schemas.js';
import type { AlertRuleInput } from '../../../src/core/alerts/index.js';
import { requestJson, requestVoid } from './client.js';

export const listAlerts = (filter: { state?: string; machine?: string; kind?: string } = {}) => {
  const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][]).toString();
  return requestJson('GET', `/api/alerts${query ? `?${query}` : ''}`, z.array(alertSchema));
};
export const unreadAlerts = () => requestJson('GET', '/api/alerts/unread', unreadSchema);
export const acknowledgeAlert = (id: number, comment: string) => requestJson('POST', `/api/alerts/${id}/acknowledge`, alertSchema, { comment });

export const listSubscriptions = () => requestJson('GET', '/api/alerts/subscriptions', z.array(subscriptionSchema));
export const subscribe = (scope: 'machine' | 'group' | 'role', scopeKey: string) => requestJson('POST', '/api/alerts/subscriptions', subscriptionSchema, { scope, scopeKey });
export const unsubscribe = (id: number) => requestVoid('DELETE', `/api/alerts/subscriptions/${id}`);

export const listAlertRules = () => requestJson('GET', '/api/alerts/rules', z.array(alertRuleSchema));
export const createAlertRule = (rule: AlertRuleInput) => requestJson('POST', '/api/alerts/rules', alertRuleSchema, rule);
export const updateAlertRule = (id: number, rule: AlertRuleInput, version: number) => requestJson('PUT', `/api/alerts/rules/${id}`, alertRuleSchema, { ...rule, version });
export const deleteAlertRule = (id: number) => requestVoid('DELETE', `/api/alerts/rules/${id}`);
export const getAlertRule = async (id: number): Promise<AlertRuleView> => {
  const rule = (await listAlertRules()).find((r) => r.id === id);
  if (!rule) throw new Error(`alert rule ${id} no longer exists`);
  return rule;
};
