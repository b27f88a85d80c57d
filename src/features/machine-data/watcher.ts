// The drop folder: QMFG_DROP_DIR/<machine>/… is where the camera's FTP share lands its day-files,
// which grow during the day. chokidar reports new and changed files (awaitWriteFinish off: a file
// that is written all day never "finishes"); each one is ingested through the ledger, so only new
// bytes are read and an incomplete last line waits for the next change. Runs are serialised per
// file (a change during a run schedules exactly one more run) and per machine (the ingest lock).
//
// A file counts as complete (its last line is taken even without a newline) only when it has not
// changed for `settleMs`: a past-dated file may still be arriving (an FTP copy of yesterday's log),
// and its half-written last line is not a row yet. Each run goes through service.ts takeIn and is audited as the system (ingest-audit.ts).
import { mkdir, stat } from 'node:fs/promises';
import { basename, relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { fileDateFromName } from '../../core/sensor/index.js';
import * as plantRepo from '../plant/repository.js';
import { takeIn } from './service.js';
import { systemImport } from './ingest-audit.js';
import { type IngestFileResult, type Ingestor } from './ingest.js';
import type { Log, ProductionNotifier } from './notifier.js';
import { fileSource } from './sources.js';

export interface DropFolderOptions {
  ingestor: Ingestor;
  notifier: ProductionNotifier;
  root: string;
  zone: string;
  log: Log;
  /** stat polling instead of OS events (network shares, some containers) */
  usePolling?: boolean;
  /** polling interval, ms (default 1000) */
  pollIntervalMs?: number;
  /** a file unchanged this long is complete (default 10 minutes) */
  settleMs?: number;
  /** called after each file run (tests) */
  onIngested?: (result: IngestFileResult, path: string) => void;
}

interface FileRun {
  running: Promise<void>;
  again: boolean;
}

const DEFAULT_SETTLE_MS = 10 * 60_000;
const IGNORED_NAME = /(^\.|~$|\.(tmp|part|partial|swp|filepart)$)/i;
/** Shortest time between two runs of one file. */
const MIN_RUN_INTERVAL_MS = 1000;
/** How often recently active files are stat'ed in case a change event was lost (an empty file just created, coalesced writes). */
const RECHECK_MS = 1000;
/** Files are rechecked this long after their last change. */
const RECHECK_WINDOW_MS = 15 * 60_000;
const MACHINE_CACHE_MS = 30_000;
const DROP_FOLDER_AUDIT = systemImport('drop-folder');
/** <root>/<machine>/channels/ holds measurement files (features/measurements watches it), not camera logs. */
export const MEASUREMENTS_SUBFOLDER = 'channels';

export class DropFolderWatcher {
  private watcher: FSWatcher | null = null;
  private readonly runs = new Map<string, FileRun>();
  /** files with bytes after the last complete line, waiting to settle */
  private readonly pendingTails = new Set<string>();
  private readonly warned = new Set<string>();
  /** size each recently active file had when last read: the safety net for events the OS coalesced or dropped */
  private readonly lastSizes = new Map<string, { size: number; at: number }>();
  private recheckTimer: NodeJS.Timeout | null = null;
  private machines: { at: number; byFolder: Map<string, string> } | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: DropFolderOptions) {}

  /** Starts watching; resolves once the files already there are queued (oldest day first). */
  async start(): Promise<void> {
    const { root } = this.options;
    await mkdir(root, { recursive: true });
    const initial: string[] = [];
    let ready = false;
    const watcher = watch(root, {
      ignoreInitial: false,
      awaitWriteFinish: false,
      usePolling: this.options.usePolling ?? false,
      interval: this.options.pollIntervalMs ?? 1000,
      binaryInterval: this.options.pollIntervalMs ?? 1000,
      depth: 4,
      ignored: (path) => IGNORED_NAME.test(basename(path)) || relative(root, path).split(sep)[1] === MEASUREMENTS_SUBFOLDER,
    });
    this.watcher = watcher;
    const onFile = (path: string) => {
      if (ready) this.schedule(path);
      else initial.push(path);
    };
    watcher.on('add', onFile);
    watcher.on('change', onFile);
    watcher.on('error', (error) => this.options.log.error(`drop folder ${root}: ${(error as Error).message}`));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    ready = true;
    // day-files in date order so that each machine's gaps chain from one day to the next
    const order = (path: string) => `${fileDateFromName(path) ?? '9999'}|${path}`;
    for (const path of initial.sort((a, b) => (order(a) < order(b) ? -1 : 1))) this.schedule(path);
    const settleMs = this.options.settleMs ?? DEFAULT_SETTLE_MS;
    this.sweepTimer = setInterval(() => void this.sweepSettled(settleMs), Math.min(60_000, Math.max(1000, settleMs / 2)));
    this.sweepTimer.unref();
    this.recheckTimer = setInterval(() => void this.recheckRecent(), RECHECK_MS);
    this.recheckTimer.unref();
    this.options.log.info(`watching ${root} for camera logs (<machine>/<file>)${this.options.usePolling ? ' by polling' : ''}`);
  }

  /** Resolves when no file run is queued or running. */
  async idle(): Promise<void> {
    while (this.runs.size > 0) await Promise.all([...this.runs.values()].map((run) => run.running));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    if (this.recheckTimer) clearInterval(this.recheckTimer);
    await this.watcher?.close();
    await this.idle();
    await this.options.ingestor.flushAudits();
  }

  private schedule(path: string, final?: boolean): void {
    if (this.closed) return;
    const current = this.runs.get(path);
    if (current) {
      current.again = true;
      return;
    }
    const run: FileRun = { running: Promise.resolve(), again: false };
    const loop = async () => {
      for (;;) {
        run.again = false;
        const started = Date.now();
        await this.ingestOne(path, final);
        if (!run.again || this.closed) break;
        // a camera writes a line every ~0.45 s: read a growing file at most once a second (each
        // run re-verifies the file's consumed prefix)
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, MIN_RUN_INTERVAL_MS - (Date.now() - started))));
      }
      this.runs.delete(path);
    };
    this.runs.set(path, run);
    run.running = loop();
  }

  private async ingestOne(path: string, forceFinal?: boolean): Promise<void> {
    const { ingestor, log } = this.options;
    const machine = await this.machineOf(path);
    if (machine === null) return;
    let size: number;
    let mtimeMs: number;
    try {
      ({ size, mtimeMs } = await stat(path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // removed meanwhile
      throw error;
    }
    this.lastSizes.set(path, { size, at: Date.now() });
    // a new file appears empty first and then fills: the recheck sees its first bytes
    if (size === 0) return;
    const final = forceFinal ?? Date.now() - mtimeMs >= (this.options.settleMs ?? DEFAULT_SETTLE_MS);
    try {
      const [result] = await takeIn(ingestor, [{ machine, file: fileSource(path), kind: 'file', final }], { audit: DROP_FOLDER_AUDIT, after: { throttle: this.options.notifier } });
      if (result.pendingBytes > 0) this.pendingTails.add(path);
      else this.pendingTails.delete(path);
      for (const warning of result.warnings) log.warn(`${path}: ${warning}`);
      if (result.cycles > 0 || result.errorCount > 0) {
        log.info(`${machine}: ${result.cycles} cycles from ${result.file}${result.errorCount ? `, ${result.errorCount} bad rows (GET /api/ingest/errors)` : ''}`);
      }
      this.options.onIngested?.(result, path);
    } catch (error) {
      log.error(`${path}: import failed: ${(error as Error).message}`);
    }
  }

  /** Files left with an incomplete last line and unchanged for settleMs: take that line now. */
  private async sweepSettled(settleMs: number): Promise<void> {
    for (const path of [...this.pendingTails]) {
      try {
        const info = await stat(path);
        if (Date.now() - info.mtimeMs >= settleMs) this.schedule(path, true);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') this.pendingTails.delete(path); // gone: nothing left to settle
        else this.options.log.error(`${path}: ${(error as Error).message}`);
      }
    }
  }

  /** Files read in the last minutes whose size changed without an event reaching us: run them. */
  private async recheckRecent(): Promise<void> {
    const now = Date.now();
    for (const [path, last] of [...this.lastSizes]) {
      if (now - last.at > RECHECK_WINDOW_MS) {
        this.lastSizes.delete(path);
        continue;
      }
      if (this.runs.has(path)) continue;
      try {
        if ((await stat(path)).size !== last.size) this.schedule(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') this.lastSizes.delete(path);
        else this.options.log.error(`${path}: ${(error as Error).message}`);
      }
    }
  }

  /** <root>/<folder>/…: the machine whose key (or data folder) is <folder>; null (warned once) otherwise. */
  private async machineOf(path: string): Promise<string | null> {
    const parts = relative(this.options.root, path).split(sep);
    if (parts.length < 2) {
      this.warnOnce(`root:${path}`, `${path}: put camera logs in a folder named after the machine (${this.options.root}/<machine>/…); ignored`);
      return null;
    }
    const folder = parts[0];
    if (!this.machines || Date.now() - this.machines.at > MACHINE_CACHE_MS || !this.machines.byFolder.has(folder)) {
      const byFolder = new Map<string, string>();
      for (const machine of await plantRepo.listMachines(this.options.ingestor.db)) {
        byFolder.set(machine.key, machine.key);
        if (machine.dataFolder) byFolder.set(basename(machine.dataFolder), machine.key);
      }
      this.machines = { at: Date.now(), byFolder };
    }
    const machine = this.machines.byFolder.get(folder) ?? null;
    if (machine === null) this.warnOnce(`folder:${folder}`, `${this.options.root}/${folder}: no machine with key or data folder '${folder}'; its files are ignored`);
    return machine;
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.options.log.warn(message);
  }
}
