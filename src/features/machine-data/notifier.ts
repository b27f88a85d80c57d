// After live ingest (drop folder, MQTT): tell open screens and re-plan, each on its own throttle.
// A camera file grows every second and MQTT delivers every cycle. The re-plan of the plant runs at
// most every `replanIntervalMs` (5 s: re-planning on each message would spend the server on the same
// answer) and is followed by 'schedule' and 'production' as after any ingest (afterIngest). In
// between, an interim 'production' (`replanPending: true`) goes out at most every
// `productionIntervalMs` (150 ms): screens apply its per-machine deltas in place, so they show new data
// within a fraction of a second (bench: MQTT → TV tile p95 ≈ 155 ms at 8 × 140/min); followers that need the re-planned state (the forecast recorder) skip it.
// Both accumulate and flush on trailing timers.
import type { Db } from '../../db/database.js';
import { afterIngest, type IngestSummary, type Publisher } from './service.js';

/** Where the long-running parts of machine data report (the server's pino logger fits). */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const SILENT_LOG: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

const EMPTY: IngestSummary = { machines: [], cycles: 0, operationsUpdated: 0 };

const merge = (a: IngestSummary, b: IngestSummary): IngestSummary => ({
  machines: [...new Set([...a.machines, ...b.machines])],
  cycles: a.cycles + b.cycles,
  operationsUpdated: a.operationsUpdated + b.operationsUpdated,
});

/** One trailing throttle: what was added since the last flush, flushed at most every `intervalMs`. */
class Throttle {
  pending: IngestSummary = EMPTY;
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = Number.NEGATIVE_INFINITY;
  constructor(
    private readonly intervalMs: number,
    private readonly run: (summary: IngestSummary) => void,
  ) {}
  add(summary: IngestSummary): void {
    this.pending = merge(this.pending, summary);
    if (this.timer) return;
    const wait = Math.max(0, this.lastFlush + this.intervalMs - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
    this.timer.unref();
  }
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const summary = this.pending;
    this.pending = EMPTY;
    this.lastFlush = Date.now();
    if (summary.cycles > 0 || summary.operationsUpdated > 0) this.run(summary);
  }
}

export class ProductionNotifier {
  private readonly production: Throttle;
  private readonly replan: Throttle;
  private replanning: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly zone: string,
    private readonly events: Publisher | null,
    private readonly log: Log,
    replanIntervalMs = 5000,
    productionIntervalMs = Math.min(150, replanIntervalMs),
  ) {
    this.production = new Throttle(productionIntervalMs, (summary) => {
      // the re-plan's own production event will carry these cycles too: only an interim one here
      if (summary.cycles > 0) this.events?.publish({ topic: 'production', data: { machines: summary.machines, cycles: summary.cycles, replanPending: true } });
    });
    this.replan = new Throttle(replanIntervalMs, (summary) => {
      this.replanning = this.replanning.then(() =>
        afterIngest(this.db, this.zone, this.events, summary, Date.now()).catch((error: unknown) => {
          this.log.error(`re-plan after machine data of ${summary.machines.join(', ')} failed: ${(error as Error).message}`);
        }),
      );
    });
  }

  add(summary: IngestSummary): void {
    if (summary.cycles === 0 && summary.operationsUpdated === 0) return;
    if (summary.cycles > 0) this.production.add(summary);
    this.replan.add(summary);
  }

  /** Passes an event on to open screens right away (a machine's state change must not wait). */
  publishNow(event: { topic: string; data?: unknown }): void {
    this.events?.publish(event);
  }

  /** Re-plans and publishes what has accumulated (now); resolves when the re-plan is done. */
  flush(): Promise<void> {
    // what is pending for the interim event is in the re-plan's pending too: its event says it all
    this.production.pending = EMPTY;
    this.production.flush();
    this.replan.flush();
    return this.replanning;
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
