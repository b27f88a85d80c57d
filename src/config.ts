// Configuration: validated once at start from the environment (and ./.env when present).
// Every key is documented in .env.example.
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { IANAZone } from 'luxon';
import { ROLES } from './core/permissions.js';
import { DEFAULT_CLIENT_GATE, DEFAULT_WORK_LIMITS, type ClientGateLimits, type RequestWorkLimits } from './core/limits.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const boolish = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const roleList = z
  .string()
  .transform((v) => v.split(',').map((r) => r.trim()).filter(Boolean))
  .pipe(z.array(z.enum(ROLES, { message: `must be a comma-separated list of roles (${ROLES.join(', ')})` })));

/** "qmfg-admins=admin,qmfg-quality=quality": claim value → role, first match wins. */
const roleMap = z.string().transform((v, ctx) => {
  const pairs: { claim: string; role: (typeof ROLES)[number] }[] = [];
  for (const part of v.split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = part.lastIndexOf('=');
    const claim = part.slice(0, at).trim();
    const role = part.slice(at + 1).trim();
    if (at <= 0 || !(ROLES as readonly string[]).includes(role)) {
      ctx.addIssue({ code: 'custom', message: `"${part}" is not claim-value=role (roles: ${ROLES.join(', ')})` });
      return z.NEVER;
    }
    pairs.push({ claim, role: role as (typeof ROLES)[number] });
  }
  return pairs;
});

/** Shortest audit key accepted: 32 characters (e.g. `openssl rand -hex 32` gives 64). */
export const AUDIT_KEY_MIN_LENGTH = 32;

/** "key1,key2": the current audit key first, then retired ones (each at least AUDIT_KEY_MIN_LENGTH, no repeats). */
const auditKeyList = z.string().transform((v, ctx) => {
  const keys = v.split(',').map((k) => k.trim()).filter(Boolean);
  for (const [i, key] of keys.entries()) {
    // the message names the key by position only: it must never echo a secret
    if (key.length < AUDIT_KEY_MIN_LENGTH) {
      ctx.addIssue({ code: 'custom', message: `key ${i + 1} is ${key.length} characters; each key needs at least ${AUDIT_KEY_MIN_LENGTH} (e.g. openssl rand -hex 32)` });
      return z.NEVER;
    }
    if (keys.indexOf(key) !== i) {
      ctx.addIssue({ code: 'custom', message: `key ${i + 1} repeats an earlier key` });
      return z.NEVER;
    }
  }
  return keys;
});

/** A BCP 47 tag Intl knows (it falls back silently for unknown ones, so ask it to resolve the tag itself). */
function isLocale(tag: string): boolean {
  try {
    return Intl.NumberFormat.supportedLocalesOf([tag]).length === 1;
  } catch {
    return false;
  }
}

const optionalUrl = z.string().refine((v) => v === '' || /^https?:\/\/[^/]/.test(v), { message: 'must be empty or an http(s) URL' });

const configSchema = z.object({
  DATABASE_URL: z
    .string()
    .default('sqlite:./data/qmfg.db')
    .refine((v) => /^(sqlite:|postgres(ql)?:\/\/|mysql:\/\/|mariadb:\/\/)/.test(v), {
      message: 'must start with sqlite:, postgres://, mysql:// or mariadb://',
    }),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  QMFG_TZ: z
    .string()
    .default('America/Los_Angeles')
    .refine((v) => IANAZone.isValidZone(v), { message: 'is not an IANA time zone (e.g. America/Los_Angeles)' }),
  QMFG_SITE_NAME: z.string().default('Demo plant'),
  QMFG_LOCALE: z
    .string()
    .default('')
    .refine((v) => v === '' || isLocale(v), { message: 'is not a locale tag (e.g. en-US, de-DE, fr-FR)' }),
  QMFG_DATA_DIR: z.string().default('./data'),
  QMFG_DROP_DIR: z.string().default('./data/drop'),
  QMFG_DEMO: boolish.default(true),
  QMFG_DEMO_DAYS: z.coerce.number().int().min(0).max(60).default(3),
  /** the demo plant runs: simulated iTrak lines produce for the board's lots (after back-filling QMFG_DEMO_DAYS) */
  QMFG_DEMO_LIVE: boolish.default(true),
  QMFG_RAW_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(400),
  /** the operator screen asks a reason for stops at least this long (shorter ones get the automatic minor stop) */
  QMFG_REASON_PROMPT_SECONDS: z.coerce.number().min(1).max(86_400).default(60),
  /** reported good units may differ from the camera's by this share before the lead is alerted (0.02 = 2 %) */
  QMFG_RECONCILE_TOLERANCE: z.coerce.number().min(0).max(1).default(0.02),
  /** the QC release review lists a reported count that differs from the camera's by more than this share (0.02 = 2 %) */
  QMFG_REVIEW_COUNT_TOLERANCE: z.coerce.number().min(0).max(1).default(0.02),
  /** the QC release review lists an entry made more than this many hours after what it reports as a late entry */
  QMFG_REVIEW_LATE_HOURS: z.coerce.number().min(0).max(8760).default(24),
  QMFG_WATCH: boolish.default(true),
  QMFG_WATCH_POLLING: boolish.default(false),
  QMFG_WATCH_INTERVAL_MS: z.coerce.number().int().min(50).max(600_000).default(1000),
  QMFG_MQTT_URL: z
    .string()
    .default('')
    .refine((v) => v === '' || /^(mqtts?|wss?|tcp|ssl):\/\/./.test(v), { message: 'must be empty (off) or a broker URL like mqtt://127.0.0.1:1883' }),
  QMFG_MQTT_TOPIC_PREFIX: z
    .string()
    .default('qmfg')
    .refine((v) => v.length > 0 && !/[#+]/.test(v), { message: 'must be a topic prefix without wildcards, e.g. qmfg' }),
  QMFG_MQTT_CLIENT_ID: z.string().default(''),
  /** MQTT ingest as a member of the shared subscription $share/qmfg/… (instances split the messages); auto: on for PostgreSQL/MySQL, off for SQLite */
  QMFG_MQTT_SHARED: z.enum(['auto', '0', '1', 'true', 'false', 'yes', 'no']).default('auto'),
  /** members of the shared subscription per instance: each stores one message at a time */
  QMFG_MQTT_CONNECTIONS: z.coerce.number().int().min(1).max(32).default(4),
  // ---- live events between instances (src/server/event-transports)
  /** auto: postgres on PostgreSQL, redis on MySQL/MariaDB when QMFG_REDIS_URL is set, else inprocess */
  QMFG_EVENTS: z.enum(['auto', 'inprocess', 'postgres', 'redis']).default('auto'),
  QMFG_REDIS_URL: z
    .string()
    .trim()
    .default('')
    .refine((v) => v === '' || /^rediss?:\/\/./.test(v), { message: 'must be empty or a Redis URL like redis://127.0.0.1:6379' }),
  /** largest camera-log file one upload may carry (MB); each file is streamed to a temp file, never held in memory */
  QMFG_UPLOAD_MAX_MB: z.coerce.number().int().min(1).max(65_536).default(512),
  // ---- sign-in, sessions, single sign-on (features/auth)
  QMFG_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  QMFG_IDLE_EXEMPT_ROLES: roleList.default(['viewer']),
  /** roles that may sign in at a line terminal with user name + PIN (empty: PIN sign-in off) */
  QMFG_PIN_ROLES: roleList.default(['operator', 'lead']),
  QMFG_SESSION_HOURS: z.coerce.number().int().min(1).max(168).default(12),
  QMFG_LOGIN_MAX_FAILURES: z.coerce.number().int().min(3).max(20).default(5),
  QMFG_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  QMFG_LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(20),
  QMFG_PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(64).default(12),
  QMFG_PASSWORD_COST: z.coerce.number().int().min(10).max(20).default(16),
  QMFG_COOKIE_SECURE: z.enum(['auto', '0', '1']).default('auto'),
  QMFG_PUBLIC_URL: optionalUrl.default(''),
  /** behind a reverse proxy: '' (none), a number of proxy hops, or the proxies' addresses/CIDRs, comma-separated */
  QMFG_TRUST_PROXY: z
    .string()
    .trim()
    .default('')
    .refine((v) => v === '' || /^\d{1,2}$/.test(v) || v.split(',').every((a) => /^[0-9a-fA-F.:/]+$/.test(a.trim())), {
      message: 'must be empty, a number of proxy hops (e.g. 1), or proxy addresses/CIDRs separated by commas',
    }),
  QMFG_ADMIN_USERNAME: z.string().trim().max(120).default(''),
  QMFG_ADMIN_PASSWORD: z.string().max(256).default(''),
  OIDC_ISSUER: optionalUrl.default(''),
  OIDC_CLIENT_ID: z.string().default(''),
  OIDC_CLIENT_SECRET: z.string().default(''),
  OIDC_SCOPES: z.string().default('openid profile email'),
  OIDC_ROLE_CLAIM: z.string().min(1).default('groups'),
  OIDC_ROLE_MAP: roleMap.default([]),
  OIDC_DEFAULT_ROLE: z.union([z.literal(''), z.enum(ROLES)]).default(''),
  OIDC_ALLOW_HTTP: boolish.default(false),
  // ---- bounded work per request and per client (src/core/limits.ts, src/server/concurrency-gate.ts)
  QMFG_MAX_OEE_RESULTS: z.coerce.number().int().min(100).max(1_000_000).default(DEFAULT_WORK_LIMITS.oeeResults),
  QMFG_MAX_MACHINE_DAYS: z.coerce.number().int().min(31).max(1_000_000).default(DEFAULT_WORK_LIMITS.machineDays),
  QMFG_CLIENT_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(DEFAULT_CLIENT_GATE.concurrency),
  QMFG_CLIENT_QUEUE: z.coerce.number().int().min(0).max(100_000).default(DEFAULT_CLIENT_GATE.queue),
  // ---- alerts (features/alerts): mail through SMTP, the timer of time-based rules
  QMFG_SMTP_URL: z
    .string()
    .trim()
    .default('')
    .refine((v) => v === '' || /^smtps?:\/\/./.test(v), { message: 'must be empty (no mail) or an SMTP URL like smtp://user:pass@mail.example.com:587' }),
  QMFG_MAIL_FROM: z.string().trim().max(254).default(''),
  QMFG_ALERT_INTERVAL_SECONDS: z.coerce.number().min(0).max(3600).default(15),
  // ---- audit trail integrity (features/audit): HMAC key(s), checkpoints outside the database, the daily check
  /** "current[,retired…]": the first key signs new entries, the others only verify older ones; empty → a key file in QMFG_DATA_DIR */
  QMFG_AUDIT_KEY: auditKeyList.default([]),
  /** a checkpoint of the chain head is appended to the data folder's checkpoint file every this many entries */
  QMFG_AUDIT_CHECKPOINT_EVERY: z.coerce.number().int().min(1).max(10_000_000).default(1000),
  /** the server verifies the whole trail this often (hours; 0 = off), and once shortly after start */
  QMFG_AUDIT_VERIFY_HOURS: z.coerce.number().min(0).max(24 * 366).default(24),
  /** the server refuses to start when its clock is further than this from the database's */
  QMFG_CLOCK_TOLERANCE_SECONDS: z.coerce.number().min(0).max(86_400).default(120),
  /** a scraper's bearer token for GET /metrics (empty: signed-in administrators only) */
  QMFG_METRICS_TOKEN: z.string().trim().refine((v) => v === '' || v.length >= 16, { message: 'must be empty or at least 16 characters (e.g. openssl rand -hex 24)' }).default(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
}).superRefine((c, ctx) => {
  if (c.OIDC_ISSUER && !c.OIDC_CLIENT_ID) ctx.addIssue({ code: 'custom', path: ['OIDC_CLIENT_ID'], message: 'is required when OIDC_ISSUER is set' });
  if (c.OIDC_ISSUER.startsWith('http:') && !c.OIDC_ALLOW_HTTP) {
    ctx.addIssue({ code: 'custom', path: ['OIDC_ISSUER'], message: 'must be https (OIDC_ALLOW_HTTP=1 allows http for a provider on a trusted local network)' });
  }
  // the path names the empty one, so the error message never echoes a password
  if (c.QMFG_ADMIN_USERNAME && !c.QMFG_ADMIN_PASSWORD) ctx.addIssue({ code: 'custom', path: ['QMFG_ADMIN_PASSWORD'], message: 'is required when QMFG_ADMIN_USERNAME is set' });
  if (c.QMFG_SMTP_URL && !c.QMFG_MAIL_FROM) ctx.addIssue({ code: 'custom', path: ['QMFG_MAIL_FROM'], message: 'is required when QMFG_SMTP_URL is set (e.g. "qmfg <qmfg@plant.example.com>")' });
  if (c.QMFG_EVENTS === 'redis' && !c.QMFG_REDIS_URL) ctx.addIssue({ code: 'custom', path: ['QMFG_REDIS_URL'], message: 'is required when QMFG_EVENTS=redis' });
  if (c.QMFG_EVENTS === 'postgres' && !/^postgres(ql)?:\/\//.test(c.DATABASE_URL)) {
    ctx.addIssue({ code: 'custom', path: ['QMFG_EVENTS'], message: 'postgres (LISTEN/NOTIFY) needs a PostgreSQL DATABASE_URL; use redis or inprocess' });
  }
  if (!c.QMFG_ADMIN_USERNAME && c.QMFG_ADMIN_PASSWORD) ctx.addIssue({ code: 'custom', path: ['QMFG_ADMIN_USERNAME'], message: 'is required when QMFG_ADMIN_PASSWORD is set' });
});

export type Config = z.infer<typeof configSchema>;

/** Reads ./.env (without overriding variables already set) and validates the environment. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, envFile = '.env'): Config {
  if (env === process.env && existsSync(envFile)) process.loadEnvFile(envFile);
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = String(issue.path[0]);
    // the audit key and the metrics token are secrets: never echoed back
    const got = key === 'QMFG_AUDIT_KEY' || key === 'QMFG_METRICS_TOKEN' ? '' : ` (got ${JSON.stringify(env[key] ?? '')})`;
    throw new ConfigError(`${key}: ${issue.message}${got}`);
  }
  return result.data;
}

/** The request-work limits of src/core/limits.ts as configured. */
export function workLimitsOf(config: Config): RequestWorkLimits {
  return { oeeResults: config.QMFG_MAX_OEE_RESULTS, machineDays: config.QMFG_MAX_MACHINE_DAYS };
}

/** MQTT ingest joins the shared subscription: QMFG_MQTT_SHARED, or on a server database (several instances may share it). */
export function mqttSharedOf(config: Pick<Config, 'QMFG_MQTT_SHARED' | 'DATABASE_URL'>): boolean {
  if (config.QMFG_MQTT_SHARED === 'auto') return !config.DATABASE_URL.startsWith('sqlite:');
  return ['1', 'true', 'yes'].includes(config.QMFG_MQTT_SHARED);
}

/** The per-client concurrency gate as configured. */
export function clientGateOf(config: Config): ClientGateLimits {
  return { concurrency: config.QMFG_CLIENT_CONCURRENCY, queue: config.QMFG_CLIENT_QUEUE };
}
