// Clock steps recorded in the audit trail (issue 16 item 5): while the server runs, its wall clock
// is compared every few seconds with the monotonic clock; a jump of more than a few seconds (an
// operator setting the time, NTP stepping it) is an audit entry (entity 'system', action
// 'clock-step') — the times of records around it are then read knowing the clock moved.
import { performance } from 'node:perf_hooks';
import { clockStep } from '../../core/clock/index.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { appendAudit } from './repository.js';
import { SYSTEM } from './who.js';

export interface ClockReading {
  wallMs: number;
  monotonicMs: number;
}

const read = (): ClockReading => ({ wallMs: Date.now(), monotonicMs: performance.now() });

export class ClockStepWatcher {
  private timer: NodeJS.Timeout | null = null;
  private last: ClockReading;
  private pending: Promise<unknown> | null = null;

  constructor(
    private readonly db: Db,
    private readonly options: { intervalMs?: number; thresholdMs?: number; onError: (error: unknown) => void; reading?: () => ClockReading },
  ) {
    this.last = (options.reading ?? read)();
  }

  /** One comparison; records a step when there is one. Returns the step in ms, or null. */
  async check(): Promise<number | null> {
    const now = (this.options.reading ?? read)();
    const step = clockStep(this.last, now, this.options.thresholdMs ?? 5_000);
    const before = this.last;
    this.last = now;
    if (step === null) return null;
    const expected = before.wallMs + (now.monotonicMs - before.monotonicMs);
    await inTransaction(this.db, (trx) =>
      appendAudit(
        trx,
        {
          ...SYSTEM,
          entity: 'system',
          entityKey: 'clock',
          action: 'clock-step',
          before: { wallClock: new Date(expected).toISOString() },
          after: { wallClock: new Date(now.wallMs).toISOString(), stepSeconds: Math.round(step / 100) / 10 },
          reason: 'the wall clock stepped relative to the monotonic clock',
        },
        now.wallMs,
      ),
    );
    return step;
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.pending) return;
      this.pending = this.check()
        .catch(this.options.onError)
        .finally(() => {
          this.pending = null;
        });
    }, this.options.intervalMs ?? 5_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.pending;
  }
}
