// Editing a reason tree in the browser: immutable operations addressed by a node's index path
// ([0, 2] = the third child of the first top-level node), new ids made from labels, and the server's
// field errors ("tree.nodes.0.children.2.label") sorted to the node they are about. Nothing is ever
// removed here: a reason leaves by being retired, because stops keep the reasons they were given.
import type { ReasonTree } from '../../../../src/core/losses/index.js';

export type ReasonNode = ReasonTree['nodes'][number];
export type NodePath = readonly number[];

export const pathKey = (path: NodePath) => path.join('.');
export const isLeaf = (node: ReasonNode) => !node.children || node.children.length === 0;

export function nodeAt(nodes: readonly ReasonNode[], path: NodePath): ReasonNode | undefined {
  let list: readonly ReasonNode[] | undefined = nodes;
  let node: ReasonNode | undefined;
  for (const index of path) {
    node = list?.[index];
    if (!node) return undefined;
    list = node.children;
  }
  return node;
}

/** The labels from the top of the tree to the node at `path`. */
export function labelsTo(nodes: readonly ReasonNode[], path: NodePath): string[] {
  return path.map((_, depth) => nodeAt(nodes, path.slice(0, depth + 1))?.label ?? '?');
}

/** The list holding the node at `path` replaced by `change(list)`; the tree above it copied, the rest shared. */
function changeList(nodes: readonly ReasonNode[], parent: NodePath, change: (list: ReasonNode[]) => ReasonNode[]): ReasonNode[] {
  if (parent.length === 0) return change([...nodes]);
  const [first, ...rest] = parent;
  return nodes.map((node, index) => (index === first ? { ...node, children: changeList(node.children ?? [], rest, change) } : node));
}

export function updateNode(nodes: readonly ReasonNode[], path: NodePath, change: (node: ReasonNode) => ReasonNode): ReasonNode[] {
  const index = path[path.length - 1];
  return changeList(nodes, path.slice(0, -1), (list) => list.map((node, i) => (i === index ? change(node) : node)));
}

/** A child appended to the node at `path`; a leaf that gets children is a group now and loses its category. */
export function addChild(nodes: readonly ReasonNode[], path: NodePath, child: ReasonNode): ReasonNode[] {
  return updateNode(nodes, path, (node) => {
    const { category: _dropped, ...group } = node;
    return { ...group, children: [...(node.children ?? []), child] };
  });
}

/** A node inserted right after the one at `path` (at the top level when `path` is empty: appended). */
export function addSibling(nodes: readonly ReasonNode[], path: NodePath, sibling: ReasonNode): ReasonNode[] {
  if (path.length === 0) return [...nodes, sibling];
  const index = path[path.length - 1];
  return changeList(nodes, path.slice(0, -1), (list) => [...list.slice(0, index + 1), sibling, ...list.slice(index + 1)]);
}

/** The node moved one place up (-1) or down (+1) among its siblings; unchanged at either end. */
export function moveNode(nodes: readonly ReasonNode[], path: NodePath, delta: -1 | 1): ReasonNode[] {
  const index = path[path.length - 1];
  return changeList(nodes, path.slice(0, -1), (list) => {
    const target = index + delta;
    if (target < 0 || target >= list.length) return list;
    [list[index], list[target]] = [list[target], list[index]];
    return list;
  });
}

/** The path of a node after moveNode (for keeping it selected). */
export function movedPath(nodes: readonly ReasonNode[], path: NodePath, delta: -1 | 1): number[] {
  const siblings = path.length === 1 ? nodes : (nodeAt(nodes, path.slice(0, -1))?.children ?? []);
  const target = path[path.length - 1] + delta;
  return target < 0 || target >= siblings.length ? [...path] : [...path.slice(0, -1), target];
}

export function allIds(nodes: readonly ReasonNode[], into = new Set<string>()): Set<string> {
  for (const node of nodes) {
    into.add(node.id);
    allIds(node.children ?? [], into);
  }
  return into;
}

/** An id for a new reason: its label as lower-case words joined by "-", made unique in the tree ("pocket-jam-2"). */
export function newReasonId(nodes: readonly ReasonNode[], label: string): string {
  const base = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40) || 'reason';
  const taken = allIds(nodes);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export interface NodeErrors {
  /** by pathKey of the node: its messages, each with the field it is about ("label", "category", "" for the node) */
  byNode: Map<string, { field: string; message: string }[]>;
  /** messages about the tree as a whole (too many nodes …) */
  general: string[];
}

/**
 * The server's field errors sorted to their nodes: "tree.nodes.0.children.2.label" is the label of
 * node [0, 2]. (The client has already cut the "body." prefix off.)
 */
export function errorsByNode(fields: Readonly<Record<string, string>>): NodeErrors {
  const byNode: NodeErrors['byNode'] = new Map();
  const general: string[] = [];
  for (const [path, message] of Object.entries(fields)) {
    const match = /^(?:tree\.)?nodes\.(\d+(?:\.children\.\d+)*)(?:\.([A-Za-z]+))?/.exec(path);
    if (!match) {
      general.push(message);
      continue;
    }
    const key = match[1].split('.children.').join('.');
    const list = byNode.get(key) ?? [];
    list.push({ field: match[2] ?? '', message });
    byNode.set(key, list);
  }
  return { byNode, general };
}

/** Paths of every node that has children (for "expand all"). */
export function groupPaths(nodes: readonly ReasonNode[], prefix: NodePath = []): string[] {
  return nodes.flatMap((node, index) => {
    const path = [...prefix, index];
    return isLeaf(node) ? [] : [pathKey(path), ...groupPaths(node.children ?? [], path)];
  });
}
