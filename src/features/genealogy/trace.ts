// Trace forward (which kit lots contain this pouch lot?) and backward (which pouch lots are in this kit
// lot?), as plain serialisable data (schemas.ts: Trace). These two are the door for every other
// feature: the lot record puts `traceBackward(db, lot)` and `traceForward(db, lot)` in its pages.
import { DateTime } from 'luxon';
import type { Executor } from '../../db/database.js';
import { NotFound } from '../../core/errors.js';
import * as plantRepo from '../plant/repository.js';
import { LotBook, nodeKey, type LotNodeRef } from './lots.js';
import * as repo from './repository.js';
import { walkBackward, walkForward, type Walk } from './walk.js';
import type { Trace, TraceDirection, TraceNode } from './schemas.js';

export interface TraceOptions {
  /** plant zone of the times; default: the site's */
  zone?: string;
  /** when the trace is generated (UTC ms); default: now */
  now?: number;
  /** an open LotBook to reuse (the service's, within one request) */
  book?: LotBook;
}

/** An instant in plant time with its offset: "2026-12-01T14:03:27-08:00". */
export const plantIso = (ms: number, zone: string): string => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");

async function zoneOf(db: Executor, options: TraceOptions): Promise<string> {
  return options.zone ?? (await plantRepo.getSite(db))?.timezone ?? 'UTC';
}

/** Lots that must exist: a trace of an unknown lot is a 404 naming it. */
async function requireLots(book: LotBook, lots: readonly string[]): Promise<void> {
  await book.load(lots);
  for (const lot of lots) if (!book.info(lot)) throw new NotFound('work order', lot);
}

/** Every kit lot that contains the output of `lot` (several lots: a recall, e.g. a day's pouch lots), at any depth. */
export async function traceForward(db: Executor, lot: string | readonly string[], options: TraceOptions = {}): Promise<Trace> {
  const lots = typeof lot === 'string' ? [lot] : [...lot];
  const book = options.book ?? (await LotBook.open(db));
  await requireLots(book, lots);
  const start = lots.map((l) => ({ lot: l, step: book.info(l)!.sourceStep }));
  return present(db, book, 'forward', lots, await walkForward(db, book, start), options);
}

/** Every lot consumed by kit lot `lot` (quantities, machines, dates, QC release), at any depth; none for a lot that consumes nothing. */
export async function traceBackward(db: Executor, lot: string | readonly string[], options: TraceOptions = {}): Promise<Trace> {
  const lots = typeof lot === 'string' ? [lot] : [...lot];
  const book = options.book ?? (await LotBook.open(db));
  await requireLots(book, lots);
  const start = lots.flatMap((l) => {
    const step = book.info(l)!.consumingStep;
    return step === null ? [] : [{ lot: l, step }];
  });
  return present(db, book, 'backward', lots, await walkBackward(db, book, start), options);
}

/** The walk as data: links in walk order (depth, then as found), and every node they name. */
async function present(db: Executor, book: LotBook, direction: TraceDirection, lots: string[], walk: Walk, options: TraceOptions): Promise<Trace> {
  const zone = await zoneOf(db, options);
  const iso = (ms: number | null) => (ms === null ? null : plantIso(ms, zone));
  const refs = new Map<string, LotNodeRef>();
  for (const lot of lots) {
    const info = book.info(lot);
    if (!info) continue;
    const traced = { lot, step: direction === 'forward' ? info.sourceStep : (info.consumingStep ?? info.sourceStep) };
    refs.set(nodeKey(traced), traced);
  }
  for (const n of walk.nodes) refs.set(nodeKey(n), n);
  for (const e of walk.edges) {
    refs.set(nodeKey(e.consumed), e.consumed);
    refs.set(nodeKey(e.kit), e.kit);
  }
  const nodeLots = [...new Set([...refs.values()].map((n) => n.lot))];
  const [, machines, groups, releases] = await Promise.all([book.load(nodeLots), plantRepo.listMachines(db), plantRepo.listGroups(db), repo.releasesOf(db, nodeLots)]);
  const machineNames = new Map(machines.map((m) => [m.key, m.name]));
  const groupNames = new Map(groups.map((g) => [g.key, g.name]));
  const releaseOf = new Map(releases.map((r) => [nodeKey(r), r]));
  const nodes: TraceNode[] = [...refs.values()].map((ref) => {
    const info = book.info(ref.lot);
    const op = info?.operations.get(ref.step);
    const routingStep = info?.product?.routing[ref.step];
    const release = releaseOf.get(nodeKey(ref));
    return {
      lot: ref.lot,
      step: ref.step,
      exists: Boolean(info),
      product: info?.product?.key ?? null,
      productName: info?.product?.name ?? null,
      group: routingStep?.group ?? null,
      groupName: routingStep ? (groupNames.get(routingStep.group) ?? routingStep.group) : null,
      machine: op?.machine_key ?? null,
      machineName: op?.machine_key ? (machineNames.get(op.machine_key) ?? op.machine_key) : null,
      state: op?.state ?? null,
      good: Number(op?.good ?? 0),
      start: iso(op?.actual_start === null || op?.actual_start === undefined ? null : Number(op.actual_start)),
      end: iso(op?.actual_end === null || op?.actual_end === undefined ? null : Number(op.actual_end)),
      release: release ? { gate: routingStep?.gate?.name ?? 'gate', signedBy: release.printedName, signedAt: plantIso(release.signedAt, zone), meaning: release.meaning } : null,
    };
  });
  return {
    lots,
    direction,
    zone,
    generatedAt: plantIso(options.now ?? Date.now(), zone),
    links: walk.edges.map((e) => ({
      depth: e.depth,
      consumedLot: e.consumed.lot,
      consumedStep: e.consumed.step,
      kitLot: e.kit.lot,
      kitStep: e.kit.step,
      quantity: e.quantity,
      derived: e.derived,
      enteredBy: e.enteredBy,
      enteredAt: iso(e.enteredAt),
    })),
    nodes,
  };
}
