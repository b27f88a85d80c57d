// Alerts (issue 12 item 4): rules, subscriptions, raised alerts, and the mail outbox. Instants are UTC epoch ms.
import type { Generated } from 'kysely';

export interface AlertRuleTable {
  id: Generated<number>;
  /** 'stopped' | 'rate-below' | 'late' | 'no-data' | 'gate-waiting' */
  kind: string;
  /** 'machine' | 'group' */
  scope: string;
  scope_key: string;
  /** how long the condition must hold before the alert is raised (the gate rule's hours are stored as minutes) */
  minutes: number;
  /** rate-below: the alert is raised below this % of the standard rate */
  percent: number | null;
  /** hysteresis: the condition must stay clear this long before the alert resolves */
  clear_minutes: number;
  /** at most this many alerts of the rule are mailed per hour (the rest show in the app only) */
  cap_per_hour: number;
  /** users subscribed by this role receive the rule's mails (null: none by role) */
  role: string | null;
  enabled: number;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface AlertSubscriptionTable {
  id: Generated<number>;
  username: string;
  /** 'machine' | 'group' | 'role' */
  scope: string;
  scope_key: string;
  created_at: number;
}

export interface AlertTable {
  id: Generated<number>;
  rule_id: number;
  kind: string;
  /** what the alert is about: a machine key, or an operation (lot/step) */
  subject: string;
  machine_key: string | null;
  /** 'open' | 'resolved' */
  state: string;
  /** since when the condition holds (a stop's start) */
  condition_since: number;
  raised_at: number;
  /** the condition is clear since (hysteresis before resolving); null while it holds */
  clear_since: number | null;
  resolved_at: number | null;
  message: string;
  /** 1 = mails were queued for it (0: over the rule's hourly cap or nobody subscribed) */
  mailed: number;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
  ack_comment: string | null;
}

export interface AlertOutboxTable {
  id: Generated<number>;
  alert_id: number;
  /** 'raised' | 'resolved' */
  event: string;
  recipient: string;
  /** the mail's Message-ID: the same row always sends the same id, so a resend is recognisable */
  message_id: string;
  subject: string;
  body: string;
  /** a picture of the evidence, attached to the mail (SVG), or null */
  chart_svg: string | null;
  /** 'pending' | 'sending' (claimed by a worker until claimed_until) | 'sent' | 'failed' */
  status: string;
  attempts: number;
  next_attempt_at: number;
  claimed_by: string | null;
  claimed_until: number | null;
  sent_at: number | null;
  last_error: string | null;
  created_at: number;
}
