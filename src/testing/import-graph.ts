// The import graph of the source tree as the code states it (static, type-only, re-exports and
// dynamic imports with a literal path), for the architecture check: feature folders must form a
// chain, src/core must import nothing outside itself but its few libraries. Read as text with one
// regular expression per import form: enough for this code base, which imports by relative path only.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export interface ImportEdge {
  /** importing file, relative to the root, with forward slashes */
  from: string;
  /** the module as written */
  specifier: string;
  /** the imported file relative to the root, or null for a package */
  to: string | null;
  line: number;
}

const IMPORT_FORMS = [
  // statements start a line; `[^;]*?` keeps one statement from running into the next
  /^\s*import\s+(?:type\s+)?[^;]*?\bfrom\s*['"]([^'"]+)['"]/gm,
  /^\s*export\s+(?:type\s+)?(?:\*|\{[^}]*\})\s*(?:as\s+\w+\s*)?from\s*['"]([^'"]+)['"]/gm,
  /^\s*import\s*['"]([^'"]+)['"]/gm,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

const isTest = (file: string) => /\.test\.tsx?$/.test(file);

export function sourceFiles(root: string, folder: string, withTests = false): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts') && (withTests || !isTest(name))) out.push(path);
    }
  };
  walk(join(root, folder));
  return out.sort();
}

/** Comments removed (kept line breaks), so commented-out imports and prose do not count. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`\\])\/\/[^\n]*/g, '$1');
}

export function importsOf(root: string, file: string): ImportEdge[] {
  const text = withoutComments(readFileSync(file, 'utf8'));
  const from = relative(root, file).split(sep).join('/');
  const edges: ImportEdge[] = [];
  for (const form of IMPORT_FORMS) {
    for (const match of text.matchAll(form)) {
      const specifier = match[1];
      const line = text.slice(0, match.index).split('\n').length;
      let to: string | null = null;
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier).replace(/\.js$/, '.ts');
        to = relative(root, target).split(sep).join('/');
      }
      edges.push({ from, specifier, to, line });
    }
  }
  return edges;
}

/** The feature folder a path belongs to (`src/features/<name>/…`), or null. */
export function featureOf(path: string): string | null {
  const match = /^src\/features\/([^/]+)\//.exec(path);
  return match ? match[1] : null;
}

/** Strongly connected groups of more than one node (each a cycle), by Tarjan's algorithm. */
export function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const visit = (node: string) => {
    indices.set(node, index);
    low.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, indices.get(next)!));
    }
    if (low.get(node) === indices.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1 || graph.get(node)?.has(node)) found.push(group.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!indices.has(node)) visit(node);
  return found;
}

/** Feature → features it imports, with one example import per pair (for messages). */
export function featureGraph(root: string): { graph: Map<string, Set<string>>; examples: Map<string, ImportEdge> } {
  const graph = new Map<string, Set<string>>();
  const examples = new Map<string, ImportEdge>();
  for (const file of sourceFiles(root, 'src/features')) {
    for (const edge of importsOf(root, file)) {
      const a = featureOf(edge.from);
      const b = edge.to ? featureOf(edge.to) : null;
      if (!a) continue;
      if (!graph.has(a)) graph.set(a, new Set());
      if (!b || a === b) continue;
      graph.get(a)!.add(b);
      if (!examples.has(`${a}→${b}`)) examples.set(`${a}→${b}`, edge);
    }
  }
  return { graph, examples };
}
