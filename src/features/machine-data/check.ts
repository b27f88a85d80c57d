// The check before an upload: what is in the file (items, lots, first and last instant) and which
// machine it belongs to — from the folder it was chosen in (Line7/PR20221011.txt → line7), else
// from the machines that already have its lots (a lot belongs to the machine that made it), else
// from its items when only one machine has made them. Reads and changes nothing else.
import { isNoLot, SensorLogParser } from '../../core/sensor/index.js';
import type { Executor } from '../../db/database.js';
import * as plantRepo from '../plant/repository.js';
import { identityOf, IDENTITY_BYTES } from './file-identity.js';
import { inferMachine, machineFromFolder, mismatchOf, type Ownership } from './check-rules.js';
import type { UploadCheck } from './schemas.js';
import type { IngestSource } from './sources.js';
import * as derivedRepo from './derived-repository.js';
import * as ledgerRepo from './ledger-repository.js';

export interface FileSummary {
  cycles: number;
  errorCount: number;
  firstAt: number | null;
  lastAt: number | null;
  lots: { lot: string; item: string; cycles: number }[];
  items: string[];
}

/** Items, lots and time span of a camera log, read in chunks (a day is ~4 MB, ~0.1 s; an upload may be far larger). */
export async function summarizeLog(source: IngestSource, zone: string): Promise<FileSummary> {
  const parser = new SensorLogParser({ file: source.name, zone });
  const lots = new Map<string, { lot: string; item: string; cycles: number }>();
  const items = new Set<string>();
  let cycles = 0;
  let firstAt: number | null = null;
  let lastAt: number | null = null;
  const take = (batch: { cycles: { at: number; item: string; lot: string }[] }) => {
    for (const cycle of batch.cycles) {
      cycles++;
      if (firstAt === null || cycle.at < firstAt) firstAt = cycle.at;
      if (lastAt === null || cycle.at > lastAt) lastAt = cycle.at;
      if (isNoLot(cycle.lot)) continue;
      items.add(cycle.item);
      const lot = lots.get(cycle.lot);
      if (lot) lot.cycles++;
      else lots.set(cycle.lot, { lot: cycle.lot, item: cycle.item, cycles: 1 });
    }
  };
  const { size } = await source.describe();
  for await (const chunk of source.read(0, size)) {
    take(parser.push(chunk));
    // a large file: let the server answer other requests between chunks
    await new Promise((resolve) => setImmediate(resolve));
  }
  take(parser.end(true));
  return { cycles, errorCount: parser.errorCount, firstAt, lastAt, lots: [...lots.values()], items: [...items].sort() };
}

export async function checkUpload(db: Executor, zone: string, input: { source: IngestSource; folder: string | null; machine: string | null }): Promise<UploadCheck> {
  const { source } = input;
  const summary = await summarizeLog(source, zone);
  const { size } = await source.describe();
  const machines = await plantRepo.listMachines(db);
  const lotRows = await derivedRepo.machinesWithLots(db, summary.lots.map((l) => l.lot));
  const byMachine = new Map<string, { machine: string; lots: string[]; cycles: number }>();
  for (const row of lotRows) {
    const entry = byMachine.get(row.machine) ?? { machine: row.machine, lots: [], cycles: 0 };
    entry.lots.push(row.lot);
    entry.cycles += row.cycles;
    byMachine.set(row.machine, entry);
  }
  const itemRows = await derivedRepo.machinesWithItems(db, summary.items);
  const items = new Map<string, string[]>();
  for (const row of itemRows) items.set(row.machine, [...(items.get(row.machine) ?? []), row.item]);
  const ownership: Ownership = {
    folderMachine: machineFromFolder(input.folder, machines),
    lotsSeenOn: [...byMachine.values()].map((o) => ({ ...o, lots: o.lots.sort() })).sort((a, b) => b.cycles - a.cycles || a.machine.localeCompare(b.machine)),
    itemsSeenOn: [...items].map(([machine, list]) => ({ machine, items: list.sort() })).sort((a, b) => a.machine.localeCompare(b.machine)),
  };
  const suggestion = inferMachine(ownership);
  const identity = identityOf(await source.head(Math.min(IDENTITY_BYTES, size)), source.name);
  return {
    file: source.name,
    bytes: size,
    ...summary,
    ...ownership,
    suggestedMachine: suggestion.machine,
    suggestedBecause: suggestion.because,
    machine: input.machine,
    mismatch: mismatchOf(ownership, input.machine),
    importedBefore: (await ledgerRepo.ledgerByIdentity(db, identity)).map((row) => ({ machine: row.machine, fileId: row.id, cycles: row.cycles })),
  };
}
