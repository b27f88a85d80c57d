// Configuration: validated once at start from the environment (and ./.env when present).
// Every key is documented in .env.example.
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { IANAZone } from 'luxon';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const boolish = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

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
  QMFG_DATA_DIR: z.string().default('./data'),
  QMFG_DROP_DIR: z.string().default('./data/drop'),
  QMFG_DEMO: boolish.default(true),
  QMFG_DEMO_DAYS: z.coerce.number().int().min(0).max(60).default(3),
  QMFG_RAW_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(400),
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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof configSchema>;

/** Reads ./.env (without overriding variables already set) and validates the environment. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, envFile = '.env'): Config {
  if (env === process.env && existsSync(envFile)) process.loadEnvFile(envFile);
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = String(issue.path[0]);
    throw new ConfigError(`${key}: ${issue.message} (got ${JSON.stringify(env[key] ?? '')})`);
  }
  return result.data;
}
