// Test support for machine data: where the real camera logs are, temp folders, and table snapshots
// that compare two machines' derived data regardless of the machine key.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Executor } from '../db/database.js';

/** ../shared/data/sensors, relative to the project root (never copied into the project). */
export const SENSORS = fileURLToPath(new URL('../../../shared/data/sensors', import.meta.url));
export const LINE7_DAYS = ['PR20221010.txt', 'PR20221011.txt', 'PR20221012.txt', 'PR20221013.txt'].map((name) => join(SENSORS, 'Line7', name));
export const LINE8_DAYS = ['PR20221010.txt', 'PR20221011.txt', 'PR20221012.txt', 'PR20221013.txt'].map((name) => join(SENSORS, 'Line8', name));
export const ZONE = 'America/Los_Angeles';

export function tempFolder(label: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `qmfg-${label}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Everything derived for a machine, as comparable plain data (numbers normalised across drivers). */
export async function derivedSnapshot(db: Executor, machine: string) {
  const n = (v: unknown) => (v === null ? null : Number(v));
  const minutes = await db.selectFrom('minute_counts').selectAll().where('machine_key', '=', machine).orderBy('minute').execute();
  const hours = await db.selectFrom('hour_counts').selectAll().where('machine_key', '=', machine).orderBy('hour').execute();
  const lots = await db.selectFrom('lot_counts').selectAll().where('machine_key', '=', machine).orderBy('lot').execute();
  const gaps = await db.selectFrom('gaps').select(['start_at', 'end_at']).where('machine_key', '=', machine).orderBy('start_at').orderBy('end_at').execute();
  const cycles = await db.selectFrom('cycles').select(['at', 'lot', 'serial', 'part', 'rework', 'line']).where('machine_key', '=', machine).orderBy('file_id').orderBy('line').execute();
  const state = await db.selectFrom('machine_state').select(['first_at', 'last_at', 'max_gap_ms']).where('machine_key', '=', machine).executeTakeFirst();
  const counts = (r: Record<string, unknown>) => [
    n(r.cycles), n(r.parts), n(r.empty), n(r.reworks), n(r.first_part_at), n(r.last_part_at), n(r.first_at), n(r.last_at), n(r.gap_ms), n(r.lead_in_ms),
  ];
  return {
    minutes: minutes.map((r) => [n(r.minute), ...counts(r)]),
    hours: hours.map((r) => [n(r.hour), ...counts(r)]),
    lots: lots.map((r) => [r.lot, r.item, n(r.cycles), n(r.parts), n(r.reworks), n(r.first_at), n(r.last_at)]),
    gaps: gaps.map((r) => [n(r.start_at), n(r.end_at)]),
    cycles: cycles.map((r) => [n(r.at), r.lot, r.serial, n(r.part), n(r.rework), n(r.line)]),
    state: state ? [n(state.first_at), n(state.last_at), n(state.max_gap_ms)] : null,
  };
}

/** Probes every 50 ms until `done` holds or `ms` passed; returns the last value (asserted by the caller). */
export async function within<T>(ms: number, probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await probe();
  }
  return value;
}

/** A multipart/form-data body with one file part per file (name "file"), for fastify.inject. */
export function multipartFiles(files: readonly { name: string; content: Buffer }[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----qmfg${randomBytes(8).toString('hex')}`;
  const parts = files.map((file) =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/plain\r\n\r\n`),
      file.content,
      Buffer.from('\r\n'),
    ]),
  );
  return { payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
