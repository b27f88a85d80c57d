// The shape of the code, checked (issue 11): feature folders form a chain (no cycle among them,
// counting every non-test import: type-only, re-exports and literal dynamic imports), src/core imports
// nothing but itself and its libraries, and no feature file grows past what one can read in a sitting.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cycles, featureGraph, importsOf, sourceFiles } from './testing/import-graph.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** What pure code may import: itself, luxon, zod, node:buffer's pure helpers (isUtf8), and the statistics libraries (jstat's distributions, simple-statistics): pure maths. */
const CORE_MAY_IMPORT = new Set(['luxon', 'zod', 'node:buffer', 'jstat', 'simple-statistics']);
const MAX_FEATURE_FILE_LINES = 500;

describe('the shape of the code', () => {
  it('feature folders form a chain: no cycle among src/features/*', () => {
    const { graph, examples } = featureGraph(root);
    const found = cycles(graph).map((group) => {
      const pairs = group.flatMap((a) => group.filter((b) => graph.get(a)?.has(b)).map((b) => {
        const e = examples.get(`${a}→${b}`)!;
        return `${a} → ${b} (${e.from}:${e.line})`;
      }));
      return `cycle among ${group.join(', ')}: ${pairs.join('; ')}`;
    });
    expect(found).toEqual([]);
    expect(graph.size).toBeGreaterThan(5);
  });

  it('src/core imports only itself, luxon, zod and simple-statistics (pure maths)', () => {
    const outside = sourceFiles(root, 'src/core').flatMap((file) =>
      importsOf(root, file)
        .filter((e) => (e.to ? !e.to.startsWith('src/core/') : !CORE_MAY_IMPORT.has(e.specifier)))
        .map((e) => `${e.from}:${e.line} imports ${e.specifier}`),
    );
    expect(outside).toEqual([]);
  });

  it(`no feature file outside tests is over ${MAX_FEATURE_FILE_LINES} lines`, () => {
    const long = sourceFiles(root, 'src/features')
      .map((file) => ({ file: file.slice(root.length + 1), lines: readFileSync(file, 'utf8').split('\n').length }))
      .filter((f) => f.lines > MAX_FEATURE_FILE_LINES)
      .map((f) => `${f.file}: ${f.lines} lines`);
    expect(long).toEqual([]);
  });

  it('no path aliases: features are imported by relative path only', () => {
    const tsconfig = readFileSync(join(root, 'tsconfig.json'), 'utf8');
    expect(tsconfig).not.toMatch(/"paths"\s*:/);
  });

  it('the import reader sees the import forms it must count', () => {
    // a self-check, so the checks above cannot pass by reading nothing
    const edges = importsOf(root, join(root, 'src/testing/import-graph.ts'));
    expect(edges.map((e) => e.specifier)).toEqual(expect.arrayContaining(['node:fs', 'node:path']));
    expect(cycles(new Map([['a', new Set(['b'])], ['b', new Set(['a'])], ['c', new Set(['a'])]]))).toEqual([['a', 'b']]);
  });
});
