// `qmfg measurements import <files|folders…> --machine <key> [--channel <key>] [--mapping <file.json>]`:
// imports measurement files (.lvm, .csv, .tsv, .txt) through the same idempotent ingest as the
// upload and the drop folder (a re-run stores only what is new), with a progress bar.
import { readFile } from 'node:fs/promises';
import { csvMappingSchema, type CsvMapping } from '../core/measurements/mapping.js';
import { CliError } from './errors.js';
import { importProgress, openImportTarget } from './import.js';

export interface MeasurementImportOptions {
  machine: string;
  channel?: string;
  mapping?: string;
  growing?: boolean;
  json?: boolean;
}

const MAX_ERRORS_SHOWN = 20;

async function readMapping(path: string): Promise<CsvMapping> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`--mapping: cannot read ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`--mapping: ${path} is not JSON: ${(error as Error).message}`);
  }
  const parsed = csvMappingSchema.safeParse(json);
  if (!parsed.success) throw new CliError(`--mapping: ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export async function measurementsImportCommand(paths: string[], opts: MeasurementImportOptions): Promise<void> {
  const mapping = opts.mapping ? await readMapping(opts.mapping) : undefined;
  const { config, files, handle } = await openImportTarget(paths, opts.machine);
  try {
    const channelRepo = await import('../features/measurements/channel-repository.js');
    const channels = await channelRepo.listChannels(handle.db, opts.machine);
    if (channels.length === 0) throw new CliError(`machine "${opts.machine}" has no measurement channels yet: add them under Admin → Channels (or POST /api/machines/${opts.machine}/channels)`);
    if (opts.channel && !channels.some((c) => c.key === opts.channel)) throw new CliError(`--channel: "${opts.channel}" is not a channel of ${opts.machine} (its channels: ${channels.map((c) => c.key).join(', ')})`);
    const { ingestMeasurements } = await import('../features/measurements/service.js');
    const { fileSource } = await import('../features/machine-data/sources.js');

    const progress = await importProgress(files, !opts.json);
    const deliveries = files.map((file, index) => ({
      machine: opts.machine, source: fileSource(file), final: !opts.growing, origin: 'file' as const, mapping, channel: opts.channel, onProgress: progress.of(index),
    }));
    const results = await ingestMeasurements({ db: handle.db, zone: config.QMFG_TZ }, deliveries, { who: { actor: 'system', source: 'cli' }, action: 'import' });
    progress.stop();

    const refused = results.filter((r) => r.stored === 0 && r.duplicates === 0 && r.errorCount > 0 && r.skippedBytes === 0);
    if (opts.json) process.stdout.write(`${JSON.stringify({ machine: opts.machine, files: results }, null, 2)}\n`);
    else {
      const count = (n: number) => n.toLocaleString('en-US');
      let shown = 0;
      for (const r of results) {
        const state = r.alreadyImported
          ? 'already imported'
          : `${count(r.stored)} samples${r.duplicates ? `, ${count(r.duplicates)} already stored` : ''}${r.errorCount ? `, ${count(r.errorCount)} bad line${r.errorCount === 1 ? '' : 's'} skipped` : ''}`;
        console.log(`${r.file}: ${state}`);
        for (const error of r.errors) if (shown++ < MAX_ERRORS_SHOWN) process.stderr.write(`${error.file}:${error.line}: ${error.message}\n`);
      }
      const total = results.reduce((sum, r) => sum + r.errorCount, 0);
      if (total > MAX_ERRORS_SHOWN) process.stderr.write(`… ${total - MAX_ERRORS_SHOWN} more line errors (--json lists up to 100 per file)\n`);
      console.log(`qmfg: ${count(results.reduce((n, r) => n + r.stored, 0))} new samples for ${opts.machine} from ${files.length} file${files.length === 1 ? '' : 's'} (${handle.describe})`);
    }
    if (refused.length > 0) throw new CliError(`${refused.length} file${refused.length === 1 ? ' was' : 's were'} refused: ${refused.map((r) => r.file).join(', ')}`);
  } finally {
    await handle.close();
  }
}
