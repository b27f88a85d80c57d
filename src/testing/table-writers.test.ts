// Architecture check: each table is written from one repository file (issue 11, "one owner per
// table"). A write is a Kysely insertInto / updateTable / deleteFrom of a table named literally, or
// a bulk write of src/db/bulk.ts naming it. Migrations and test support are left out.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from './import-graph.js';

const WRITES = [/\.(?:insertInto|updateTable|deleteFrom)\(\s*'(\w+)/g, /\b(?:bulkInsert|bulkInsertWith|upsertRows)\(\s*\w+,\s*'(\w+)'/g];

/** table → the files that write it */
function tableWriters(root: string): Map<string, Set<string>> {
  const writers = new Map<string, Set<string>>();
  for (const file of sourceFiles(root, 'src')) {
    if (file.startsWith('src/db/migrations/') || file.startsWith('src/testing/')) continue;
    const text = readFileSync(`${root}/${file}`, 'utf8');
    for (const form of WRITES) {
      for (const match of text.matchAll(form)) {
        const files = writers.get(match[1]) ?? new Set<string>();
        files.add(file);
        writers.set(match[1], files);
      }
    }
  }
  return writers;
}

describe('table writers', () => {
  const writers = tableWriters('.');

  it('finds the writes (the check would pass on nothing otherwise)', () => {
    expect(writers.get('cycles')).toEqual(new Set(['src/features/machine-data/repository.ts']));
    expect(writers.get('operations')).toEqual(new Set(['src/features/orders/repository.ts']));
    expect(writers.get('stop_reason_segments')).toEqual(new Set(['src/features/operator-input/repository.ts']));
  });

  it('each table is written from exactly one repository file', () => {
    const shared = [...writers].filter(([, files]) => files.size > 1).map(([table, files]) => `${table}: ${[...files].sort().join(', ')}`);
    expect(shared).toEqual([]);
    const outside = [...writers].filter(([, files]) => ![...files].every((file) => file.endsWith('repository.ts'))).map(([table, files]) => `${table}: ${[...files].join(', ')}`);
    expect(outside).toEqual([]);
  });
});
