// The audit keys: HMAC-SHA256 keys the database never holds (issue 16 item 1). They come from
// QMFG_AUDIT_KEY ("current,retired…") or, when that is empty, from a key file in the data folder,
// created at first start with mode 0600 by exclusive create (a second instance starting at the same
// moment loses the race and reads the winner's file). Each key is known by its id — the first 8 hex
// of its SHA-256 — stored with every entry, so retired keys keep older entries verifiable.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_KEY_MIN_LENGTH, ConfigError, type Config } from '../../config.js';

export const AUDIT_KEY_FILE = 'audit.key';

export interface AuditKey {
  id: string;
  secret: Buffer;
}

export interface AuditKeyring {
  /** signs every new entry and checkpoint */
  current: AuditKey;
  /** every key that verifies, the current one included, by id */
  byId: ReadonlyMap<string, AuditKey>;
  /** where the keys came from, for messages ("QMFG_AUDIT_KEY" or the key file's path) */
  origin: string;
}

export const auditKeyId = (secret: string | Buffer): string => createHash('sha256').update(secret).digest('hex').slice(0, 8);

/** A keyring of text keys, the first one current. */
export function keyringOf(keys: readonly string[], origin: string): AuditKeyring {
  if (keys.length === 0) throw new ConfigError(`${origin}: no audit key`);
  const list = keys.map((key) => ({ id: auditKeyId(key), secret: Buffer.from(key, 'utf8') }));
  return { current: list[0], byId: new Map(list.map((k) => [k.id, k])), origin };
}

/** HMAC-SHA256 hex of `text` with `key`. */
export const macOf = (key: AuditKey, text: string): string => createHmac('sha256', key.secret).update(text).digest('hex');

/** Compares two MACs in constant time (a wrong MAC must not tell how much of it was right). */
export function sameMac(a: string | null, b: string): boolean {
  if (a === null || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The keys of a key file: one per line (or comma-separated), the first current; blank lines and # comments skipped. */
function parseKeyFile(text: string, path: string): string[] {
  const keys = text.split(/[\n,]/).map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
  const short = keys.findIndex((key) => key.length < AUDIT_KEY_MIN_LENGTH);
  if (keys.length === 0 || short >= 0) throw new ConfigError(`${path}: ${keys.length === 0 ? 'holds no audit key' : `key ${short + 1} is shorter than ${AUDIT_KEY_MIN_LENGTH} characters`}`);
  return keys;
}

/**
 * The keyring as configured: QMFG_AUDIT_KEY when set, else the data folder's key file — created
 * (random 32 bytes, hex) when `create` and it does not exist yet. A verifier (`qmfg audit verify`)
 * passes create = false: it must never invent a key.
 */
export function loadAuditKeyring(config: Pick<Config, 'QMFG_AUDIT_KEY' | 'QMFG_DATA_DIR'>, options: { create: boolean }): AuditKeyring {
  if (config.QMFG_AUDIT_KEY.length > 0) return keyringOf(config.QMFG_AUDIT_KEY, 'QMFG_AUDIT_KEY');
  const path = join(config.QMFG_DATA_DIR, AUDIT_KEY_FILE);
  if (options.create) {
    mkdirSync(config.QMFG_DATA_DIR, { recursive: true });
    try {
      writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      // another instance (or an earlier start) created it: read theirs
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ConfigError(`QMFG_AUDIT_KEY: not set and no key file at ${path} (set QMFG_AUDIT_KEY or QMFG_DATA_DIR as the server has them)`);
    }
    throw error;
  }
  return keyringOf(parseKeyFile(text, path), path);
}

// The keyring of this process. appendAudit is called from every service with no key parameter (the
// key is not part of the domain), so the process start installs it once (server, CLI, test support).
let installed: AuditKeyring | null = null;

export function installAuditKeyring(keyring: AuditKeyring | null): void {
  installed = keyring;
}

/** The installed keyring, or null: an entry written without one carries no MAC and fails verification. */
export const installedAuditKeyring = (): AuditKeyring | null => installed;
