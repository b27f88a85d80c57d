// Test support for machine data: where the real camera logs are, temp folders, and snapshots that
// compare two machines' derived data regardless of the machine key (read through the repositories).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Executor } from '../db/database.js';
import * as repo from '../features/machine-data/repository.js';
import * as derivedRepo from '../features/machine-data/derived-repository.js';
import type { PeriodRow } from '../features/machine-data/derived-repository.js';

/** ../shared/data/sensors, relative to the project root (never copied into the project). */
export const SENSORS = fileURLToPath(new URL('../../../shared/data/sensors', import.meta.url));
export const LINE7_DAYS = ['PR20221010.txt', 'PR20221011.txt', 'PR20221012.txt', 'PR20221013.txt'].map((name) => join(SENSORS, 'Line7', name));
export const LINE8_DAYS = ['PR20221010.txt', 'PR20221011.txt', 'PR20221012.txt', 'PR20221013.txt'].map((name) => join(SENSORS, 'Line8', name));
export const ZONE = 'America/Los_Angeles';

export function tempFolder(label: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `qmfg-${label}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Everything derived for a machine, as comparable plain data (read through machine data's repositories). */
export async function derivedSnapshot(db: Executor, machine: string) {
  const all = [0, Number.MAX_SAFE_INTEGER] as const;
  const state = await repo.getMachineState(db, machine);
  const counts = (r: PeriodRow) => [r.start, r.cycles, r.parts, r.empty, r.reworks, r.firstPartAt, r.lastPartAt, r.firstAt, r.lastAt, r.gapMs, r.leadInMs];
  const lots = (await derivedRepo.listLotCounts(db, [machine], ...all)).sort((a, b) => (a.lot < b.lot ? -1 : a.lot > b.lot ? 1 : 0));
  const gaps = (await derivedRepo.gapRows(db, machine, ...all, state?.maxGapMs ?? 0, -1, Number.MAX_SAFE_INTEGER)).sort((a, b) => a.start - b.start || a.end - b.end);
  return {
    minutes: (await derivedRepo.minuteRows(db, machine, ...all)).map(counts),
    hours: (await derivedRepo.hourRows(db, machine, ...all)).map(counts),
    lots: lots.map((r) => [r.lot, r.item, r.cycles, r.parts, r.reworks, r.firstAt, r.lastAt]),
    gaps: gaps.map((g) => [g.start, g.end]),
    cycles: (await repo.cyclesInArrivalOrder(db, machine)).map((c) => [c.at, c.lot, c.serial, c.part ? 1 : 0, c.rework ? 1 : 0, c.line]),
    state: state ? [state.firstAt, state.lastAt, state.maxGapMs] : null,
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
