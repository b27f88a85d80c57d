// Pure helpers of the operator screen: drilling down the reason tree (only reasons that may be
// chosen for a stop, or for scrap, and never retired ones), splitting a stop in two, and durations
// in plain words. Kept apart from the components so they are tested on their own.

/** A node of a process group's reason tree as the server sends it (leaves carry the category). */
export interface ReasonNode {
  id: string;
  label: string;
  category?: string | null;
  retired?: boolean;
  children?: ReasonNode[];
}

export type ReasonUse = 'stop' | 'scrap';

const SCRAP_CATEGORIES = new Set(['startupReject', 'productionReject']);

const isLeaf = (node: ReasonNode) => !node.children || node.children.length === 0;

/** Whether a leaf of `category` is offered for `use`: scrap reasons are the two reject categories, stop reasons all others. */
export function offeredFor(category: string | null | undefined, use: ReasonUse): boolean {
  if (!category) return false;
  return use === 'scrap' ? SCRAP_CATEGORIES.has(category) : !SCRAP_CATEGORIES.has(category);
}

/** The nodes worth showing for `use`: current leaves of a matching category, and branches holding one. */
export function offeredNodes(nodes: readonly ReasonNode[], use: ReasonUse): ReasonNode[] {
  const kept: ReasonNode[] = [];
  for (const node of nodes) {
    if (node.retired) continue;
    if (isLeaf(node)) {
      if (offeredFor(node.category, use)) kept.push(node);
      continue;
    }
    const children = offeredNodes(node.children ?? [], use);
    if (children.length > 0) kept.push({ ...node, children });
  }
  return kept;
}

export interface DrillLevel {
  /** the branches chosen so far, from the top: the breadcrumb */
  crumbs: ReasonNode[];
  /** what to choose from at this level */
  choices: ReasonNode[];
}

/**
 * Where the picker stands after choosing the branches `path` (ids from the top) in the offered
 * tree. An id that is not (or no longer) there ends the walk: the picker shows the deepest valid level.
 */
export function drillDown(offered: readonly ReasonNode[], path: readonly string[]): DrillLevel {
  const crumbs: ReasonNode[] = [];
  let choices: readonly ReasonNode[] = offered;
  for (const id of path) {
    const branch = choices.find((node) => node.id === id && !isLeaf(node));
    if (!branch) break;
    crumbs.push(branch);
    choices = branch.children ?? [];
  }
  return { crumbs, choices: [...choices] };
}

export { isLeaf };

/** Every offered leaf with its path label ("Unplanned › Jam › Pocket jam"), for a plain list (scrap). */
export function offeredLeaves(nodes: readonly ReasonNode[], use: ReasonUse): { id: string; label: string }[] {
  const out: { id: string; label: string }[] = [];
  const walk = (level: readonly ReasonNode[], trail: string[]) => {
    for (const node of level) {
      const labels = [...trail, node.label];
      if (isLeaf(node)) out.push({ id: node.id, label: labels.join(' › ') });
      else walk(node.children ?? [], labels);
    }
  };
  walk(offeredNodes(nodes, use), []);
  return out;
}

/** The smallest part a split leaves on either side: a minute (a stop is split by the clock, to the minute). */
export const MIN_PART_MS = 60_000;

/**
 * The split instant kept inside the stop with at least MIN_PART_MS on both sides (the middle when
 * the stop is too short for that), rounded to whole seconds.
 */
export function clampSplit(startMs: number, endMs: number, atMs: number): number {
  if (endMs - startMs < 2 * MIN_PART_MS) return Math.round((startMs + endMs) / 2 / 1000) * 1000;
  const rounded = Math.round(atMs / 1000) * 1000;
  return Math.min(Math.max(rounded, startMs + MIN_PART_MS), endMs - MIN_PART_MS);
}

/** Seconds of the two parts when the stop (start, end] is split at `atMs` (clamped like clampSplit). */
export function splitParts(startMs: number, endMs: number, atMs: number): { at: number; firstSeconds: number; secondSeconds: number } {
  const at = clampSplit(startMs, endMs, atMs);
  return { at, firstSeconds: Math.round((at - startMs) / 1000), secondSeconds: Math.round((endMs - at) / 1000) };
}

/** "45 s", "4 min 20 s", "1 h 05 min": a duration read at a glance. */
export function durationLabel(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const rest = s % 60;
    return rest === 0 ? `${Math.floor(s / 60)} min` : `${Math.floor(s / 60)} min ${rest} s`;
  }
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  return `${hours} h ${String(minutes).padStart(2, '0')} min`;
}

/** "HH:mm" (or "HHmm") of a plant-local time of day typed in the split field → the instant inside the stop on that day (or null). */
export function instantOfClock(text: string, startMs: number, endMs: number, localMidnightMsOf: (ms: number) => number): number | null {
  // "10:45", "10.45", "10h45" — and "1045" from a numeric keypad without a colon
  const match = /^\s*(\d{1,2})[:.h]?(\d{2})(?:[:.](\d{2}))?\s*$/.exec(text);
  if (!match) return null;
  const [hours, minutes, seconds] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  if (hours > 23 || minutes > 59 || seconds > 59) return null;
  const offset = ((hours * 60 + minutes) * 60 + seconds) * 1000;
  // the stop may cross midnight: try the day it starts and the day it ends
  for (const day of [localMidnightMsOf(startMs), localMidnightMsOf(endMs)]) {
    const candidate = day + offset;
    if (candidate > startMs && candidate < endMs) return candidate;
  }
  return null;
}

/** The path label of any leaf in the tree, retired ones too (a stop keeps the reason it was given). */
export function pathLabelOf(nodes: readonly ReasonNode[], id: string): string | null {
  for (const node of nodes) {
    if (node.id === id && isLeaf(node)) return node.label;
    const inner = pathLabelOf(node.children ?? [], id);
    if (inner !== null) return `${node.label} › ${inner}`;
  }
  return null;
}

/** The ids of the branches above leaf `id`: where the picker opens for a stop that has it. */
export function branchPathOf(nodes: readonly ReasonNode[], id: string): string[] | null {
  for (const node of nodes) {
    if (node.id === id && isLeaf(node)) return [];
    const inner = branchPathOf(node.children ?? [], id);
    if (inner !== null) return [node.id, ...inner];
  }
  return null;
}
