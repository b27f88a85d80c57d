// Request and response shapes of /api/alerts (shared with the web app).
import { z } from 'zod';
import { ALERT_KINDS, alertRuleInputSchema } from '../../core/alerts/index.js';

export { alertRuleInputSchema };

export const alertRuleSchema = z.object({
  id: z.number().int(),
  kind: z.enum(ALERT_KINDS),
  scope: z.enum(['machine', 'group']),
  scopeKey: z.string(),
  minutes: z.number(),
  percent: z.number().nullable(),
  clearMinutes: z.number(),
  capPerHour: z.number().int(),
  role: z.string().nullable(),
  enabled: z.boolean(),
  version: z.number().int(),
});
export type AlertRuleView = z.infer<typeof alertRuleSchema>;

export const ruleUpdateSchema = z.intersection(alertRuleInputSchema, z.object({ version: z.number().int().min(1) }));
export const ruleIdParam = z.object({ id: z.coerce.number().int().min(1) });

export const subscriptionInputSchema = z.object({
  scope: z.enum(['machine', 'group', 'role']),
  scopeKey: z.string().trim().min(1).max(64),
});
export const subscriptionSchema = subscriptionInputSchema.extend({ id: z.number().int() });

export const alertSchema = z.object({
  id: z.number().int(),
  ruleId: z.number().int(),
  kind: z.string(),
  subject: z.string(),
  machine: z.string().nullable(),
  state: z.enum(['open', 'resolved']),
  conditionSince: z.string(),
  raisedAt: z.string(),
  resolvedAt: z.string().nullable(),
  message: z.string(),
  mailed: z.boolean(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  ackComment: z.string().nullable(),
});
export type AlertView = z.infer<typeof alertSchema>;

export const alertListQuery = z.object({
  state: z.enum(['open', 'resolved']).optional(),
  machine: z.string().max(64).optional(),
  kind: z.enum(ALERT_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const acknowledgeSchema = z.object({ comment: z.string().trim().min(1, { message: 'is required: say what was done' }).max(1000) });
export const unreadSchema = z.object({ unread: z.number().int() });
