// Password hashing with scrypt (node:crypto: memory-hard, maintained with Node itself — no native
// add-on to build) and the password rules. Hashes carry their own cost, so raising the cost later
// only needs a re-hash at the next successful sign-in.
import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

const options = (log2N: number, r: number, p: number): ScryptOptions => ({
  N: 2 ** log2N,
  r,
  p,
  // scrypt needs 128·N·r bytes; Node's default cap (32 MiB) is below the costs we use
  maxmem: 256 * 2 ** log2N * r + 1024 * 1024,
});

/** `scrypt$<log2 N>$<r>$<p>$<salt>$<key>` (base64url). */
export async function hashPassword(password: string, log2N: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KEY_LENGTH, options(log2N, BLOCK_SIZE, PARALLELISM));
  return ['scrypt', log2N, BLOCK_SIZE, PARALLELISM, salt.toString('base64url'), key.toString('base64url')].join('$');
}

interface ParsedHash {
  log2N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [log2N, r, p] = parts.slice(1, 4).map(Number);
  if (![log2N, r, p].every(Number.isInteger) || log2N < 1 || log2N > 22 || r < 1 || r > 32 || p < 1 || p > 16) return null;
  return { log2N, r, p, salt: Buffer.from(parts[4], 'base64url'), key: Buffer.from(parts[5], 'base64url') };
}

/** Constant-time comparison of the derived key; a malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed || parsed.key.length === 0) return false;
  const key = await scryptAsync(password, parsed.salt, parsed.key.length, options(parsed.log2N, parsed.r, parsed.p));
  return timingSafeEqual(key, parsed.key);
}

/** True when the stored hash is weaker than the configured cost (re-hash after a successful check). */
export function needsRehash(stored: string, log2N: number): boolean {
  const parsed = parseHash(stored);
  return !parsed || parsed.log2N < log2N || parsed.r < BLOCK_SIZE;
}

const dummyHashes = new Map<number, Promise<string>>();
/**
 * Spends the same time as a real check when the user does not exist (or has no password), so the
 * answer time does not tell which user names exist.
 */
export async function verifyAgainstDummy(password: string, log2N: number): Promise<false> {
  let dummy = dummyHashes.get(log2N);
  if (!dummy) {
    dummy = hashPassword(randomBytes(16).toString('hex'), log2N);
    dummyHashes.set(log2N, dummy);
  }
  await verifyPassword(password, await dummy);
  return false;
}

// The most common passwords that pass a length check (breach corpora); refused outright.
const COMMON = new Set([
  'password1234', 'password12345', 'password123456', 'passw0rd1234', '123456789012', '1234567890123', 'qwertyuiop12',
  'qwertyuiopasdf', '1q2w3e4r5t6y', 'iloveyou1234', 'administrator', 'administrator1', 'welcome12345', 'welcome123456',
  'letmein12345', 'changeme1234', 'changeme12345', 'default12345', 'trustno11234', 'football1234', 'baseball1234',
  'sunshine1234', 'princess1234', 'qwerty123456', 'abc123456789', 'abcdefghijkl', 'aaaaaaaaaaaa', 'password!234',
  'p@ssw0rd1234', 'p@ssword1234', 'summer2024!!', 'winter2024!!', 'spring2025!!', 'autumn2025!!', 'company12345',
  'qmfgqmfgqmfg', 'manufacturing', 'production123', 'operator1234', 'qwerty1234567', 'zaq12wsxcde3', '1qaz2wsx3edc',
]);

export interface PasswordRuleContext {
  minLength: number;
  username?: string;
  displayName?: string;
}

/**
 * NIST SP 800-63B style: long enough, not a known common password, not built from the user's own
 * name, not one repeated or sequential character run. No composition rules (they push people to
 * predictable patterns). Returns what is wrong, empty when the password is acceptable.
 */
export function passwordProblems(password: string, context: PasswordRuleContext): string[] {
  const problems: string[] = [];
  const lower = password.normalize('NFKC').toLowerCase();
  if ([...password].length < context.minLength) problems.push(`use at least ${context.minLength} characters`);
  if ([...password].length > 256) problems.push('use at most 256 characters');
  if (COMMON.has(lower) || /^(.)\1+$/.test(lower) || isSequence(lower)) problems.push('this password is too common or predictable');
  const nameParts = [context.username, ...(context.displayName ?? '').split(/\s+/)]
    .map((s) => (s ?? '').toLowerCase())
    .filter((s) => s.length >= 4);
  if (nameParts.some((part) => lower.includes(part))) problems.push('do not use your name or user name in the password');
  return problems;
}

function isSequence(s: string): boolean {
  if (s.length < 4) return false;
  const step = s.charCodeAt(1) - s.charCodeAt(0);
  if (Math.abs(step) !== 1) return false;
  for (let i = 2; i < s.length; i++) if (s.charCodeAt(i) - s.charCodeAt(i - 1) !== step) return false;
  return true;
}

/** Letters and digits that cannot be confused when read off a screen (no 0/O, 1/l/I). */
const READABLE = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A password for generated accounts (demo users): 4 groups of 5 readable characters, ~116 bits. */
export function generatePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let group = '';
    for (let i = 0; i < 5; i++) group += READABLE[randomInt(READABLE.length)];
    groups.push(group);
  }
  return groups.join('-');
}
