// The reason tree of a process group: what operators choose from when they say why a line stopped
// or why units were scrapped. Inner nodes group (Unplanned › Jam), leaves are reasons and carry the
// loss category. Trees are versioned: a new version may add, rename, recategorise and retire, but
// never remove a node — stops keep the reason they were given, so it must stay readable.
import { z } from 'zod';
import { LOSS_CATEGORIES, LOSS_LABELS, type LossCategory } from './categories.js';

export interface ReasonNode {
  id: string;
  label: string;
  /** leaves only: where the reason's time or units go in the loss model */
  category?: LossCategory;
  /** no longer offered for new stops or scrap; stays readable on what has it */
  retired?: boolean;
  children?: ReasonNode[];
}

export interface ReasonTree {
  nodes: ReasonNode[];
}

export const MAX_TREE_DEPTH = 4;
export const MAX_TREE_NODES = 500;
export const REASON_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,47}$/;
/** The automatic reason of a micro-stop (below the availability threshold): every starter tree has it. */
export const AUTOMATIC_MINOR_STOP_ID = 'minor-stop';

const nodeSchema: z.ZodType<ReasonNode> = z.lazy(() =>
  z.object({
    id: z.string().regex(REASON_ID_PATTERN, 'use 1–48 lower-case letters, digits or - (e.g. pocket-jam)'),
    label: z.string().trim().min(1, 'give the reason a name').max(80, 'keep the name to 80 characters'),
    category: z.enum(LOSS_CATEGORIES, { message: `one of ${LOSS_CATEGORIES.join(', ')}` }).optional(),
    retired: z.boolean().optional(),
    children: z.array(nodeSchema).max(100, 'at most 100 reasons under one node').optional(),
  }),
);

interface Issue {
  path: (string | number)[];
  message: string;
}

/** The structural rules a tree must keep, as issues with the path of the node they concern. */
export function treeIssues(tree: ReasonTree): Issue[] {
  const issues: Issue[] = [];
  const seen = new Map<string, string>();
  let count = 0;
  const walk = (nodes: ReasonNode[], path: (string | number)[], depth: number) => {
    const labels = new Set<string>();
    nodes.forEach((node, i) => {
      const here = [...path, i];
      count++;
      if (depth > MAX_TREE_DEPTH) issues.push({ path: here, message: `at most ${MAX_TREE_DEPTH} levels (Unplanned › Jam › Pocket jam is 3)` });
      const earlier = seen.get(node.id);
      if (earlier) issues.push({ path: [...here, 'id'], message: `the id '${node.id}' is used twice (also by '${earlier}')` });
      seen.set(node.id, node.label);
      const key = node.label.trim().toLowerCase();
      if (labels.has(key)) issues.push({ path: [...here, 'label'], message: `'${node.label}' is there twice at the same level` });
      labels.add(key);
      const inner = (node.children?.length ?? 0) > 0;
      if (!inner && !node.category) issues.push({ path: [...here, 'category'], message: `choose the loss category of '${node.label}'` });
      if (inner && node.category) issues.push({ path: [...here, 'category'], message: `'${node.label}' groups other reasons: only reasons without sub-reasons have a category` });
      if (inner) walk(node.children!, [...here, 'children'], depth + 1);
    });
  };
  walk(tree.nodes, ['nodes'], 1);
  if (count > MAX_TREE_NODES) issues.push({ path: ['nodes'], message: `at most ${MAX_TREE_NODES} reasons in a tree` });
  if (tree.nodes.length === 0) issues.push({ path: ['nodes'], message: 'a tree needs at least one reason' });
  return issues;
}

export const reasonTreeSchema: z.ZodType<ReasonTree> = z.object({ nodes: z.array(nodeSchema) }).superRefine((tree, ctx) => {
  for (const issue of treeIssues(tree)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});

function* walkNodes(nodes: readonly ReasonNode[], path: string[] = [], trail: string[] = []): Generator<{ node: ReasonNode; path: string[]; trail: string[] }> {
  for (const [i, node] of nodes.entries()) {
    const here = [...path, node.label];
    const where = [...trail, String(i)];
    yield { node, path: here, trail: where };
    if (node.children) yield* walkNodes(node.children, here, [...where, 'children']);
  }
}

export interface Leaf {
  id: string;
  label: string;
  /** labels from the root to the leaf */
  path: string[];
  category: LossCategory;
  /** the leaf or a node above it is retired */
  retired: boolean;
}

export const pathLabel = (path: readonly string[]): string => path.join(' › ');

function leaves(tree: ReasonTree): Leaf[] {
  const found: Leaf[] = [];
  const walk = (nodes: readonly ReasonNode[], path: string[], retired: boolean) => {
    for (const node of nodes) {
      const here = [...path, node.label];
      const gone = retired || Boolean(node.retired);
      if (node.children && node.children.length > 0) walk(node.children, here, gone);
      else if (node.category) found.push({ id: node.id, label: node.label, path: here, category: node.category, retired: gone });
    }
  };
  walk(tree.nodes, [], false);
  return found;
}

export function leafOf(tree: ReasonTree, id: string): Leaf | null {
  return leaves(tree).find((l) => l.id === id) ?? null;
}

/** The leaves offered for new choices (not retired), optionally only those `filter` keeps. */
export function activeLeaves(tree: ReasonTree, filter?: (leaf: Leaf) => boolean): Leaf[] {
  return leaves(tree).filter((l) => !l.retired && (!filter || filter(l)));
}

const normalise = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * The leaf a person meant by what they typed in a spreadsheet: the full path with ›, > or / between
 * the levels (spaces optional, case ignored), or the leaf's own label when only one leaf has it.
 */
export function findLeafByPath(tree: ReasonTree, text: string, treeName = 'the tree'): { leaf: Leaf } | { error: string } {
  const typed = text.trim();
  if (!typed) return { error: 'give a reason' };
  const parts = typed.split(/\s*(?:›|>|\/)\s*/).map(normalise).filter(Boolean);
  const all = leaves(tree);
  const byPath = all.filter((l) => l.path.length === parts.length && l.path.every((p, i) => normalise(p) === parts[i]));
  if (byPath.length === 1) return { leaf: byPath[0] };
  if (parts.length === 1) {
    const byLabel = all.filter((l) => normalise(l.label) === parts[0] || l.id === parts[0]);
    if (byLabel.length === 1) return { leaf: byLabel[0] };
    if (byLabel.length > 1) return { error: `'${typed}' is the name of ${byLabel.length} reasons of ${treeName}: write the whole path, e.g. '${pathLabel(byLabel[0].path)}' or '${pathLabel(byLabel[1].path)}'` };
  }
  return { error: `'${typed}' is not a reason of ${treeName}` };
}

/** Field errors of a new version against the stored one: nothing may be removed (retire it instead). */
export function checkNewVersion(previous: ReasonTree, next: ReasonTree): { path: string; message: string }[] {
  const nextIds = new Set([...walkNodes(next.nodes)].map((n) => n.node.id));
  const errors: { path: string; message: string }[] = [];
  for (const { node, path } of walkNodes(previous.nodes)) {
    if (!nextIds.has(node.id)) {
      errors.push({ path: 'nodes', message: `'${pathLabel(path)}' (${node.id}) was removed: retire it instead — stops and scrap that have it keep it` });
    }
  }
  return errors;
}

/** What changed from one version to the next, in words for the audit trail. */
export function describeTreeChange(previous: ReasonTree, next: ReasonTree): string[] {
  const before = new Map([...walkNodes(previous.nodes)].map((n) => [n.node.id, n]));
  const lines: string[] = [];
  for (const { node, path } of walkNodes(next.nodes)) {
    const old = before.get(node.id);
    const category = node.category ? ` (${LOSS_LABELS[node.category]})` : '';
    if (!old) {
      lines.push(`added ${pathLabel(path)}${category}`);
      continue;
    }
    if (old.node.label !== node.label) lines.push(`renamed ${pathLabel(old.path)} → ${node.label}`);
    else if (pathLabel(old.path) !== pathLabel(path)) lines.push(`moved ${pathLabel(old.path)} → ${pathLabel(path)}`);
    if (old.node.category !== node.category && node.category) {
      lines.push(`category of ${pathLabel(path)}: ${old.node.category ? LOSS_LABELS[old.node.category] : 'none'} → ${LOSS_LABELS[node.category]}`);
    }
    if (Boolean(old.node.retired) !== Boolean(node.retired)) lines.push(`${node.retired ? 'retired' : 'brought back'} ${pathLabel(path)}`);
  }
  return lines;
}

const leaf = (id: string, label: string, category: LossCategory): ReasonNode => ({ id, label, category });
const group = (id: string, label: string, children: ReasonNode[]): ReasonNode => ({ id, label, children });

/** A starter tree for a plant of diagnostic kit lines (pouchers) or any other process group. */
export function defaultReasonTree(kind: 'pouching' | 'generic'): ReasonTree {
  const pouching = kind === 'pouching';
  return {
    nodes: [
      group('planned', 'Planned', [
        group('changeover', 'Changeover', [
          leaf('format-change', 'Format change', 'setup'),
          ...(pouching ? [leaf('film-reel-change', 'Film reel change', 'setup')] : []),
          leaf('lot-change', 'Lot change and line clearance', 'setup'),
        ]),
        leaf('break', 'Break', 'plannedDowntime'),
        leaf('meeting', 'Meeting or training', 'plannedDowntime'),
        leaf('cleaning', 'Planned cleaning', 'plannedDowntime'),
        leaf('planned-maintenance', 'Planned maintenance', 'plannedDowntime'),
        group('not-scheduled', 'Not scheduled', [leaf('no-orders', 'No orders', 'notScheduled'), leaf('no-staff', 'No staff', 'notScheduled')]),
      ]),
      group('unplanned', 'Unplanned', [
        group('jam', 'Jam', pouching ? [leaf('pocket-jam', 'Pocket jam', 'breakdown'), leaf('sealer-jam', 'Sealer jam', 'breakdown'), leaf('feeder-jam', 'Feeder jam', 'breakdown')] : [leaf('machine-jam', 'Machine jam', 'breakdown')]),
        group('material', 'Material', [
          ...(pouching ? [leaf('film-splice', 'Film splice', 'breakdown')] : []),
          leaf('waiting-material', 'Waiting for material', 'breakdown'),
          leaf('wrong-material', 'Wrong or faulty material', 'breakdown'),
        ]),
        leaf('mechanical', 'Mechanical breakdown', 'breakdown'),
        leaf('electrical', 'Electrical breakdown', 'breakdown'),
        leaf('camera-fault', 'Inspection camera fault', 'breakdown'),
        leaf('waiting-operator', 'Waiting for operator', 'breakdown'),
        leaf(AUTOMATIC_MINOR_STOP_ID, 'Minor stop', 'minorStop'),
        leaf('reduced-speed', 'Reduced speed', 'reducedSpeed'),
      ]),
      group('quality', 'Quality', [leaf('quality-hold', 'Quality hold', 'breakdown'), leaf('line-clearance-check', 'Line clearance check', 'setup')]),
      group('scrap', 'Scrap', [
        group('startup', 'Startup', [leaf('setup-scrap', 'Setup scrap', 'startupReject'), leaf('first-off', 'First-off samples', 'startupReject')]),
        group('production', 'Production', [
          leaf('seal-defect', pouching ? 'Seal defect' : 'Assembly defect', 'productionReject'),
          leaf('missing-component', 'Missing component', 'productionReject'),
          leaf('print-defect', 'Print or label defect', 'productionReject'),
          leaf('damaged', pouching ? 'Damaged pouch' : 'Damaged unit', 'productionReject'),
          leaf('qc-sample', 'QC sample (destructive)', 'productionReject'),
        ]),
      ]),
    ],
  };
}
