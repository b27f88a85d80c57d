// The drop folder for measurement files: QMFG_DROP_DIR/<machine>/channels/*.lvm|csv|tsv|txt (the
// camera watcher leaves a machine's channels/ folder alone). Each new or changed file goes through
// ingestMeasurements; a growing file is read up to its last complete line and counts as complete
// (its last line taken without a line break) once unchanged for settleMs, as the camera watcher does.
// Runs are serialised per file; a change during a run schedules exactly one more.
import { mkdir, stat } from 'node:fs/promises';
import { basename, relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Db } from '../../db/database.js';
import * as plantRepo from '../plant/repository.js';
import type { Log } from '../machine-data/notifier.js';
import { fileSource } from '../machine-data/sources.js';
import { MEASUREMENTS_SUBFOLDER } from '../machine-data/watcher.js';
import { ingestMeasurements, type MeasurementDoor } from './ingest.js';
import type { MeasurementFileResult } from './schemas.js';

export interface MeasurementWatcherOptions {
  db: Db;
  zone: string;
  root: string;
  log: Log;
  usePolling?: boolean;
  pollIntervalMs?: number;
  /** a file unchanged this long is complete (default 10 minutes) */
  settleMs?: number;
  onIngested?: (result: MeasurementFileResult, path: string) => void;
}

const DOOR: MeasurementDoor = { who: { actor: 'system', source: 'drop-folder' }, action: 'import' };
const MEASUREMENT_FILE = /\.(lvm|csv|tsv|txt)$/i;
const DEFAULT_SETTLE_MS = 10 * 60_000;

export class MeasurementWatcher {
  private watcher: FSWatcher | null = null;
  private readonly runs = new Map<string, { running: Promise<void>; again: boolean }>();
  private readonly pending = new Set<string>();
  private sweep: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: MeasurementWatcherOptions) {}

  /** <machine>/channels/<file> relative to the root, or null */
  private partsOf(path: string): { machine: string } | null {
    const parts = relative(this.options.root, path).split(sep);
    return parts.length === 3 && parts[1] === MEASUREMENTS_SUBFOLDER && MEASUREMENT_FILE.test(parts[2]) && !parts[2].startsWith('.') ? { machine: parts[0] } : null;
  }

  async start(): Promise<void> {
    const { root } = this.options;
    await mkdir(root, { recursive: true });
    const watcher = watch(root, {
      ignoreInitial: false,
      usePolling: this.options.usePolling ?? false,
      interval: this.options.pollIntervalMs ?? 1000,
      depth: 2,
      // folders are walked; of the files only <machine>/channels/<measurement file>
      ignored: (path, stats) => stats?.isFile() === true && this.partsOf(path) === null,
    });
    this.watcher = watcher;
    watcher.on('add', (path) => this.schedule(path));
    watcher.on('change', (path) => this.schedule(path));
    watcher.on('error', (error) => this.options.log.error(`measurement drop folder ${root}: ${(error as Error).message}`));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    const settleMs = this.options.settleMs ?? DEFAULT_SETTLE_MS;
    this.sweep = setInterval(() => void this.sweepSettled(settleMs), Math.min(60_000, Math.max(200, settleMs / 2)));
    this.sweep.unref();
  }

  async idle(): Promise<void> {
    while (this.runs.size > 0) await Promise.all([...this.runs.values()].map((run) => run.running));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.sweep) clearInterval(this.sweep);
    await this.watcher?.close();
    await this.idle();
  }

  private schedule(path: string): void {
    if (this.closed || this.partsOf(path) === null) return;
    const current = this.runs.get(path);
    if (current) {
      current.again = true;
      return;
    }
    const run = { running: Promise.resolve(), again: false };
    this.runs.set(path, run);
    run.running = (async () => {
      do {
        run.again = false;
        await this.ingestOne(path);
      } while (run.again && !this.closed);
      this.runs.delete(path);
    })();
  }

  private async ingestOne(path: string): Promise<void> {
    const { machine } = this.partsOf(path)!;
    try {
      if (!(await plantRepo.getMachine(this.options.db, machine))) {
        this.options.log.warn(`${path}: no machine '${machine}'; ignored`);
        return;
      }
      const info = await stat(path);
      if (info.size === 0) return;
      const final = Date.now() - info.mtimeMs >= (this.options.settleMs ?? DEFAULT_SETTLE_MS);
      const [result] = await ingestMeasurements({ db: this.options.db, zone: this.options.zone }, [{ machine, source: fileSource(path), final, origin: 'file' }], DOOR);
      if (final) this.pending.delete(path);
      else this.pending.add(path);
      if (result.stored > 0 || result.errorCount > 0) this.options.log.info(`${machine}: ${result.stored} samples from ${basename(path)}${result.errorCount ? `, ${result.errorCount} bad lines` : ''}`);
      for (const error of result.errors.slice(0, 5)) this.options.log.warn(`${error.file}:${error.line}: ${error.message}`);
      this.options.onIngested?.(result, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      this.options.log.error(`${path}: measurement import failed: ${(error as Error).message}`);
    }
  }

  private async sweepSettled(settleMs: number): Promise<void> {
    for (const path of [...this.pending]) {
      try {
        if (Date.now() - (await stat(path)).mtimeMs >= settleMs) this.schedule(path);
      } catch {
        this.pending.delete(path);
      }
    }
  }
}
