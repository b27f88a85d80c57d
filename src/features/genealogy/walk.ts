// The genealogy graph walked level by level (iterative frontier): each level asks the indexed link
// table once for the whole frontier and loads the frontier's lots in one batch, so a trace costs a few
// queries per level, not per lot. Chosen over WITH RECURSIVE because derived links (a lot's own
// pouching step feeding its own kitting step, from the routing) are not rows: they need the routing
// and the good count, which the frontier walk has at hand (bench/genealogy.bench.ts measures it).
import type { Executor } from '../../db/database.js';
import { LotBook, nodeKey, type LotNodeRef } from './lots.js';
import * as repo from './repository.js';

export interface Edge {
  /** 1 = directly in (backward) / directly into (forward) the traced lot */
  depth: number;
  consumed: LotNodeRef;
  kit: LotNodeRef;
  quantity: number;
  /** from the routing (the lot's own pouching step feeds its kitting step), not entered by anyone */
  derived: boolean;
  enteredBy: string | null;
  enteredAt: number | null;
}

export interface Walk {
  edges: Edge[];
  /** every node reached, the start nodes included */
  nodes: LotNodeRef[];
}

/** A trace never goes deeper than this (kits of kits of kits …); a guard, real genealogies are 2–3 deep. */
export const MAX_DEPTH = 50;

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

const same = (a: LotNodeRef, b: LotNodeRef) => a.lot === b.lot && a.step === b.step;

/**
 * The derived link into a lot's own consuming step: the good count of the step that feeds it, less
 * what other kit lots took from that step by entered links. None when the lot's consumption was
 * entered (it replaces the derived link), the routing has no such feed, or nothing is left.
 */
function derivedEdge(book: LotBook, lot: string, entered: ReadonlySet<string>, linksFromFeed: repo.ConsumptionLinkRow[], depth: number): Edge | null {
  const info = book.info(lot);
  if (!info || info.consumingStep === null || info.ownFeedStep === null || entered.has(lot)) return null;
  const feed = { lot, step: info.ownFeedStep };
  const takenByOthers = linksFromFeed.filter((l) => l.sourceLot === lot && l.sourceStep === feed.step && l.kitLot !== lot).reduce((sum, l) => sum + l.quantity, 0);
  const quantity = book.good(feed) - takenByOthers;
  if (quantity <= 0) return null;
  return { depth, consumed: feed, kit: { lot, step: info.consumingStep }, quantity, derived: true, enteredBy: null, enteredAt: null };
}

const enteredEdge = (l: repo.ConsumptionLinkRow, depth: number): Edge => ({
  depth,
  consumed: { lot: l.sourceLot, step: l.sourceStep },
  kit: { lot: l.kitLot, step: l.kitStep },
  quantity: l.quantity,
  derived: false,
  enteredBy: l.enteredBy,
  enteredAt: l.enteredAt,
});

/** Where the output of `start` went: every kit lot containing it, level by level. */
export async function walkForward(db: Executor, book: LotBook, start: LotNodeRef[]): Promise<Walk> {
  const visited = new Map(start.map((n) => [nodeKey(n), n]));
  const edges: Edge[] = [];
  let frontier = start;
  for (let depth = 1; frontier.length > 0 && depth <= MAX_DEPTH; depth++) {
    const lots = [...new Set(frontier.map((n) => n.lot))];
    const [links, sets] = await Promise.all([repo.linksFromSources(db, lots), repo.listConsumptionSets(db, lots), book.load(lots)]);
    const entered = new Set(sets.map((s) => s.kitLot));
    const next: LotNodeRef[] = [];
    const reach = (edge: Edge) => {
      edges.push(edge);
      const key = nodeKey(edge.kit);
      if (!visited.has(key)) {
        visited.set(key, edge.kit);
        next.push(edge.kit);
      }
    };
    const bySource = groupBy(links, (l) => nodeKey({ lot: l.sourceLot, step: l.sourceStep }));
    for (const node of frontier) {
      for (const link of bySource.get(nodeKey(node)) ?? []) reach(enteredEdge(link, depth));
      const derived = derivedEdge(book, node.lot, entered, links, depth);
      if (derived && same(derived.consumed, node)) reach(derived);
    }
    frontier = next;
  }
  return { edges, nodes: [...visited.values()] };
}

/** What went into `start` (a kit lot's consuming step): every consumed lot, level by level. */
export async function walkBackward(db: Executor, book: LotBook, start: LotNodeRef[]): Promise<Walk> {
  const visited = new Map(start.map((n) => [nodeKey(n), n]));
  const edges: Edge[] = [];
  let frontier = start;
  for (let depth = 1; frontier.length > 0 && depth <= MAX_DEPTH; depth++) {
    const lots = [...new Set(frontier.map((n) => n.lot))];
    // links into the frontier, links out of the frontier's own feed steps (for derived quantities)
    const [links, sets, fromFeeds] = await Promise.all([repo.linksOfKits(db, lots), repo.listConsumptionSets(db, lots), repo.linksFromSources(db, lots), book.load(lots)]);
    const entered = new Set(sets.map((s) => s.kitLot));
    const byKit = groupBy(links, (l) => nodeKey({ lot: l.kitLot, step: l.kitStep }));
    const found: Edge[] = [];
    for (const node of frontier) {
      if (entered.has(node.lot)) {
        for (const link of byKit.get(nodeKey(node)) ?? []) found.push(enteredEdge(link, depth));
      } else {
        const derived = derivedEdge(book, node.lot, entered, fromFeeds, depth);
        if (derived && same(derived.kit, node)) found.push(derived);
      }
    }
    await book.load(found.map((e) => e.consumed.lot));
    const next: LotNodeRef[] = [];
    for (const edge of found) {
      edges.push(edge);
      const key = nodeKey(edge.consumed);
      if (visited.has(key)) continue;
      visited.set(key, edge.consumed);
      // only a consumed kit (a consuming step's output) has inputs of its own to follow
      if (book.isConsumingStep(edge.consumed)) next.push(edge.consumed);
    }
    frontier = next;
  }
  return { edges, nodes: [...visited.values()] };
}
