// `qmfg demo-data`: write synthetic camera logs, one file per plant-local day, in the real format.
// Light command: no config schema, database or server — only the generator and Luxon.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DateTime, IANAZone } from 'luxon';
import { iterateDays } from '../core/sensor/generate.js';
import { CliError } from './errors.js';

const DEFAULT_ZONE = 'America/Los_Angeles';
const MAX_DAYS = 366;

export interface DemoDataOptions {
  machine: string;
  days: string;
  /** last day, plant-local YYYY-MM-DD; default today in QMFG_TZ */
  end?: string;
  seed: string;
  out: string;
}

export async function demoDataCommand(opts: DemoDataOptions): Promise<void> {
  // An empty QMFG_TZ (a blank line in .env) means "not set".
  const zone = process.env.QMFG_TZ || DEFAULT_ZONE;
  if (!IANAZone.isValidZone(zone)) throw new CliError(`QMFG_TZ "${zone}" is not an IANA time zone (e.g. America/Los_Angeles)`);

  const machine = opts.machine.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(machine)) {
    throw new CliError(`--machine "${opts.machine}" is not a machine key (letters, digits, - and _, e.g. line7)`);
  }
  const days = parseWholeNumber('--days', opts.days);
  if (days < 1 || days > MAX_DAYS) throw new CliError(`--days must be between 1 and ${MAX_DAYS}, got ${days}`);
  const seed = parseWholeNumber('--seed', opts.seed, true);
  const endDate = opts.end === undefined ? todayIn(zone) : parseDate(opts.end);

  try {
    await mkdir(opts.out, { recursive: true });
  } catch (error) {
    throw new CliError(`cannot create output folder ${opts.out}: ${messageOf(error)}`);
  }
  let rows = 0;
  let files = 0;
  for (const day of iterateDays({ machine, endDate, days, zone, seed })) {
    const path = join(opts.out, day.fileName);
    // The camera ends every row with a newline, the last one included.
    const content = day.lines.length === 0 ? '' : `${day.lines.join('\n')}\n`;
    try {
      await writeFile(path, content);
    } catch (error) {
      throw new CliError(`cannot write ${path}: ${messageOf(error)}`);
    }
    rows += day.lines.length;
    files++;
    console.log(`wrote ${path} (${day.lines.length} rows, ${day.date})`);
  }
  console.log(`qmfg: ${files} day files for ${machine} (seed ${seed}, ${zone}), ${rows} rows in ${opts.out}`);
}

function parseWholeNumber(option: string, value: string, allowNegative = false): number {
  const pattern = allowNegative ? /^-?\d+$/ : /^\d+$/;
  const parsed = Number(value);
  if (!pattern.test(value.trim()) || !Number.isSafeInteger(parsed)) {
    throw new CliError(`${option} must be a whole number, got "${value}"`);
  }
  return parsed;
}

function parseDate(value: string): string {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(value) ? DateTime.fromISO(value, { zone: 'utc' }) : null;
  if (parsed === null || !parsed.isValid) throw new CliError(`--end "${value}" is not a date YYYY-MM-DD`);
  return value;
}

function todayIn(zone: string): string {
  const today = DateTime.now().setZone(zone).toISODate();
  if (today === null) throw new CliError(`cannot tell today's date in ${zone}`);
  return today;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
