// Wrong-password throttling per account name and client address: after a few wrong passwords
// that pair waits, twice as long after each further one (up to the lock-out time). The answer is
// the same for known and unknown names, and strangers cannot lock an account for its owner: the
// owner signing in from another address is not affected. Kept in memory (one process), bounded.
import { AppError } from '../../core/errors.js';

/** Too many wrong passwords from this address for this name: wait `retryAfterSeconds`. */
export class TooManyAttempts extends AppError {
  readonly status = 429;
  readonly code = 'too_many_attempts';
  constructor(readonly retryAfterSeconds: number) {
    const minutes = Math.ceil(retryAfterSeconds / 60);
    super(
      retryAfterSeconds < 60
        ? `Too many wrong passwords; wait ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'} and try again.`
        : `Too many wrong passwords; wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`,
    );
  }
}

interface Attempts {
  failures: number;
  blockedUntil: number;
  lastFailureAt: number;
}

/** the first wait, doubled after each further wrong password */
const FIRST_WAIT_MS = 30_000;
/** at most this many name+address pairs are remembered (the oldest are forgotten first) */
const MAX_ENTRIES = 10_000;

export class LoginThrottle {
  private readonly attempts = new Map<string, Attempts>();
  constructor(
    private readonly freeFailures: number,
    private readonly maxWaitMs: number,
  ) {}

  private static key(username: string, address: string | null): string {
    return `${username.trim().toLowerCase()}\n${address ?? ''}`;
  }

  /** Throws TooManyAttempts while this name+address pair has to wait. */
  check(username: string, address: string | null, now: number): void {
    const entry = this.attempts.get(LoginThrottle.key(username, address));
    if (entry && entry.blockedUntil > now) throw new TooManyAttempts(Math.max(1, Math.ceil((entry.blockedUntil - now) / 1000)));
  }

  failed(username: string, address: string | null, now: number): void {
    const key = LoginThrottle.key(username, address);
    const previous = this.attempts.get(key);
    // a pair that stayed quiet for the longest wait starts afresh
    const stale = previous && now - previous.lastFailureAt > this.maxWaitMs;
    const failures = (stale || !previous ? 0 : previous.failures) + 1;
    const over = failures - this.freeFailures;
    const blockedUntil = over >= 0 ? now + Math.min(this.maxWaitMs, FIRST_WAIT_MS * 2 ** Math.min(over, 30)) : 0;
    this.attempts.delete(key);
    this.attempts.set(key, { failures, blockedUntil, lastFailureAt: now });
    while (this.attempts.size > MAX_ENTRIES) this.attempts.delete(this.attempts.keys().next().value as string);
  }

  succeeded(username: string, address: string | null): void {
    this.attempts.delete(LoginThrottle.key(username, address));
  }

  /** An administrator unlocked the account: every address may try again. */
  clear(username: string): void {
    const prefix = `${username.trim().toLowerCase()}\n`;
    for (const key of [...this.attempts.keys()]) if (key.startsWith(prefix)) this.attempts.delete(key);
  }
}
