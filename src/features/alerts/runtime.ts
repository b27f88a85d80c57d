// The running parts of alerts, started by the server (src/server/app.ts): the ingest observer
// (data-driven rules inside each batch's transaction), the timer (time-based rules while nothing
// arrives), and the mail worker when QMFG_SMTP_URL is set.
import type { Db, Tx } from '../../db/database.js';
import { evaluate, evaluateAll, INGEST_KINDS, type AlertChange, type AlertSettings } from './engine.js';
import { AlertMailWorker, smtpTransport, type MailTransport } from './mail-worker.js';

export interface Publisher {
  publish(event: { topic: string; data?: unknown }): void;
}

/** What machine data's BatchStore calls (its BatchObserver shape; machine data does not import alerts). */
export function ingestObserver(settings: AlertSettings, events: Publisher, clock?: () => number) {
  const raised = new Map<string, AlertChange[]>();
  return {
    async stored(trx: Tx, batch: { machine: string; now: number }): Promise<void> {
      const changes = await evaluate(trx, settings, clock?.() ?? batch.now, { machine: batch.machine, kinds: INGEST_KINDS });
      if (changes.length > 0) raised.set(batch.machine, changes);
    },
    committed(machine: string): void {
      const changes = raised.get(machine);
      raised.delete(machine);
      if (changes) events.publish({ topic: 'alerts', data: { changes } });
    },
  };
}

export interface AlertRuntimeOptions {
  db: Db;
  settings: AlertSettings;
  events: Publisher;
  intervalMs: number;
  smtpUrl: string;
  mailFrom: string;
  transport?: MailTransport;
  clock?: () => number;
  onError: (error: unknown) => void;
  /** more work on the same timer before the outbox is sent (e.g. shift reports mailed at shift end), each given "now" */
  jobs?: readonly ((now: number) => Promise<unknown>)[];
}

export class AlertRuntime {
  private timer: NodeJS.Timeout | null = null;
  private tick: Promise<unknown> | null = null;
  readonly mailer: AlertMailWorker | null;
  private clock: () => number;

  constructor(private readonly options: AlertRuntimeOptions) {
    this.clock = options.clock ?? Date.now;
    const transport = options.transport ?? (options.smtpUrl ? smtpTransport(options.smtpUrl) : null);
    this.mailer = transport ? new AlertMailWorker(options.db, { transport, from: options.mailFrom, clock: () => this.now(), onError: options.onError }) : null;
  }

  /** "now" of the engine and the worker (a test sets its own clock) */
  now(): number {
    return this.clock();
  }

  setClock(clock: () => number): void {
    this.clock = clock;
  }

  /** One evaluation of every rule (all kinds), then the outbox. */
  async runOnce(): Promise<AlertChange[]> {
    const now = this.now();
    const changes = await evaluateAll(this.options.db, this.options.settings, now);
    if (changes.length > 0) this.options.events.publish({ topic: 'alerts', data: { changes } });
    for (const job of this.options.jobs ?? []) await job(now).catch(this.options.onError);
    await this.mailer?.runOnce();
    return changes;
  }

  start(): void {
    if (this.timer || this.options.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (this.tick) return;
      this.tick = this.runOnce()
        .catch(this.options.onError)
        .finally(() => {
          this.tick = null;
        });
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for its round (the lease moved elsewhere); start() resumes. */
  async pause(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.tick;
  }

  async stop(): Promise<void> {
    await this.pause();
    await this.mailer?.stop();
  }
}
