// `qmfg import <files|folder...> --machine <key>`: imports camera logs into the database through the
// same idempotent ingest as the drop folder and the upload (a re-run imports only what is new).
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import cliProgress from 'cli-progress';
import { loadConfig } from '../config.js';
import { fileDateFromName } from '../core/sensor/index.js';
import { openDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { CliError } from './errors.js';
import { withConfigErrors } from './config-errors.js';

export interface ImportOptions {
  machine: string;
  /** the files may still grow: leave an incomplete last line for the next run */
  growing?: boolean;
  json?: boolean;
}

const MAX_ERRORS_SHOWN = 20;

/** Files named on the command line, folders walked recursively (hidden entries skipped); camera day-files in date order. */
export async function expandImportPaths(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  const visit = async (path: string, named: boolean): Promise<void> => {
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(code === 'ENOENT' ? `not found: ${path}` : `cannot read ${path}: ${(error as Error).message}`);
    }
    if (info.isDirectory()) {
      const entries = (await readdir(path)).filter((name) => !name.startsWith('.')).sort();
      for (const entry of entries) await visit(join(path, entry), false);
    } else if (info.isFile()) {
      files.push(path);
    } else if (named) {
      throw new CliError(`not a file or folder: ${path}`);
    }
  };
  for (const path of paths) await visit(path, true);
  const dated = files.map((file, index) => ({ file, index, date: fileDateFromName(file) }));
  if (dated.some((entry) => entry.date === null)) return files;
  return dated.sort((a, b) => (a.date === b.date ? a.index - b.index : (a.date as string) < (b.date as string) ? -1 : 1)).map((entry) => entry.file);
}

/**
 * What an import command starts with (camera files and measurement files alike): the config, the
 * files named, the database migrated with the audit key installed, and the machine known.
 */
export async function openImportTarget(paths: string[], machine: string): Promise<{ config: ReturnType<typeof loadConfig>; files: string[]; handle: Awaited<ReturnType<typeof openDatabase>> }> {
  const config = await withConfigErrors(async () => loadConfig());
  const files = await expandImportPaths(paths);
  if (files.length === 0) throw new CliError(`no files to import in ${paths.join(', ')}`);
  const handle = await withConfigErrors(async () => {
    const opened = await openDatabase(config.DATABASE_URL);
    await migrateToLatest(opened.db);
    // what the import stores is audited: signed with the server's audit key (QMFG_AUDIT_KEY or the data folder's key file)
    const { prepareAuditTrail } = await import('../features/audit/integrity.js');
    await prepareAuditTrail(opened.db, config);
    return opened;
  });
  try {
    const plantRepo = await import('../features/plant/repository.js');
    if (!(await plantRepo.getMachine(handle.db, machine))) {
      const known = (await plantRepo.listMachines(handle.db)).map((m) => m.key);
      throw new CliError(`unknown machine "${machine}"${known.length ? ` — known machines: ${known.join(', ')}` : ' — the database has no machines yet (start the server once, or create the machine)'}`);
    }
  } catch (error) {
    await handle.close();
    throw error;
  }
  return { config, files, handle };
}

/** A progress bar over the bytes of the files being imported, on a terminal's stderr only (and never with --json). */
export async function importProgress(files: readonly string[], wanted: boolean): Promise<{ of(index: number): (bytes: number) => void; stop(): void }> {
  const sizes = await Promise.all(files.map(async (file) => (await stat(file)).size));
  const totalBytes = sizes.reduce((sum, size) => sum + size, 0);
  const show = wanted && process.stderr.isTTY === true;
  const bar = new cliProgress.SingleBar(
    { format: 'importing {bar} {percentage}% | {mb} of {totalMb} MB | {file}', hideCursor: true, clearOnComplete: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  if (show) bar.start(totalBytes, 0, { mb: '0.0', totalMb: mb(totalBytes), file: '' });
  return {
    of(index) {
      const doneBefore = sizes.slice(0, index).reduce((sum, size) => sum + size, 0);
      const name = basename(files[index]);
      return (bytes) => {
        if (show) bar.update(doneBefore + bytes, { mb: mb(doneBefore + bytes), file: name });
      };
    },
    stop() {
      if (show) bar.stop();
    },
  };
}

export async function importCommand(paths: string[], opts: ImportOptions): Promise<void> {
  const { config, files, handle } = await openImportTarget(paths, opts.machine);
  try {
    const { ingestorFor } = await import('../features/machine-data/ingest.js');
    const { takeIn } = await import('../features/machine-data/service.js');
    const { systemImport } = await import('../features/machine-data/ingest-audit.js');
    const { fileSource } = await import('../features/machine-data/sources.js');
    const ingestor = ingestorFor(handle.db, config.QMFG_TZ);

    const progress = await importProgress(files, !opts.json);
    // what the CLI stores is audited and re-planned before it ends (service.ts takeIn)
    const deliveries = files.map((file, index) => ({ machine: opts.machine, file: fileSource(file), kind: 'file' as const, final: !opts.growing, onProgress: progress.of(index) }));
    const results = await takeIn(ingestor, deliveries, { audit: systemImport('cli'), after: { now: true, events: null } });
    progress.stop();

    // a file with no valid row at all (empty, binary, another format) is refused; bad rows among good ones are not
    const refused = results.filter((r) => r.cycles === 0 && r.errorCount > 0 && r.skippedBytes === 0);
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ machine: opts.machine, files: results }, null, 2)}\n`);
    } else {
      const count = (n: number) => n.toLocaleString('en-US');
      let shown = 0;
      for (const result of results) {
        const state = result.alreadyImported ? 'already imported' : `${count(result.cycles)} cycles${result.errorCount ? `, ${count(result.errorCount)} bad row${result.errorCount === 1 ? '' : 's'} skipped` : ''}`;
        // warnings say what was already imported under another name ("nothing stored twice")
        console.log(`${result.file}: ${state}${result.pendingBytes > 0 ? ` (${result.pendingBytes} bytes of an incomplete last line left for later)` : ''}`);
        for (const warning of result.warnings) console.log(`  warning: ${warning}`);
        for (const error of result.errors) {
          if (shown++ < MAX_ERRORS_SHOWN) process.stderr.write(`${error.file}:${error.line}: ${error.message}\n`);
        }
      }
      const total = results.reduce((sum, r) => sum + r.errorCount, 0);
      if (total > MAX_ERRORS_SHOWN) process.stderr.write(`… ${total - MAX_ERRORS_SHOWN} more row errors (see GET /api/ingest/errors)\n`);
      const cycles = results.reduce((sum, r) => sum + r.cycles, 0);
      console.log(`qmfg: ${count(cycles)} new cycles for ${opts.machine} from ${files.length} file${files.length === 1 ? '' : 's'} (${handle.describe})`);
    }
    if (refused.length > 0) throw new CliError(`${refused.length} file${refused.length === 1 ? ' was' : 's were'} refused: ${refused.map((r) => r.file).join(', ')}`);
  } finally {
    await handle.close();
  }
}
