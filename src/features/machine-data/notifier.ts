// After live ingest (drop folder, MQTT): re-plan and tell open screens, at most every few seconds.
// A camera file grows every second and MQTT delivers every cycle; re-planning the plant on each
// would spend the server on the same answer. Counts accumulate and flush on a trailing timer.
import type { Db } from '../../db/database.js';
import { afterIngest, type IngestSummary, type Publisher } from './service.js';

/** Where the long-running parts of machine data report (the server's pino logger fits). */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const SILENT_LOG: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

export class ProductionNotifier {
  private pending: IngestSummary = { machines: [], cycles: 0, operationsUpdated: 0 };
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = 0;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly zone: string,
    private readonly events: Publisher | null,
    private readonly log: Log,
    private readonly minIntervalMs = 5000,
  ) {}

  add(summary: IngestSummary): void {
    if (summary.cycles === 0 && summary.operationsUpdated === 0) return;
    this.pending = {
      machines: [...new Set([...this.pending.machines, ...summary.machines])],
      cycles: this.pending.cycles + summary.cycles,
      operationsUpdated: this.pending.operationsUpdated + summary.operationsUpdated,
    };
    if (this.timer) return;
    const wait = Math.max(0, this.lastFlush + this.minIntervalMs - Date.now());
    this.timer = setTimeout(() => void this.flush(), wait);
    this.timer.unref();
  }

  /** Passes an event on to open screens right away (a machine's state change must not wait). */
  publishNow(event: { topic: string; data?: unknown }): void {
    this.events?.publish(event);
  }

  /** Publishes and re-plans what has accumulated (now). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const summary = this.pending;
    this.pending = { machines: [], cycles: 0, operationsUpdated: 0 };
    this.lastFlush = Date.now();
    if (summary.cycles === 0 && summary.operationsUpdated === 0) return this.flushing;
    this.flushing = this.flushing.then(() =>
      afterIngest(this.db, this.zone, this.events, summary, Date.now()).catch((error: unknown) => {
        this.log.error(`re-plan after machine data of ${summary.machines.join(', ')} failed: ${(error as Error).message}`);
      }),
    );
    return this.flushing;
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
