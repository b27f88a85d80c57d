import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDays } from '../core/sensor/generate.js';
import { parseSensorFile } from '../testing/parse-file.js';
import { demoDataCommand } from './demo-data.js';
import { CliError } from './errors.js';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'qmfg-demo-data-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('qmfg demo-data', () => {
  it('writes one camera file per day ending --end, each the generator’s day plus final newline', async () => {
    const out = join(scratch, 'line9');
    await demoDataCommand({ machine: 'line9', days: '2', end: '2022-10-12', seed: '4', out });
    expect((await readdir(out)).sort()).toEqual(['PR20221011.txt', 'PR20221012.txt']);
    const expected = generateDays({ machine: 'line9', endDate: '2022-10-12', days: 2, zone: process.env.QMFG_TZ || 'America/Los_Angeles', seed: 4 });
    for (const day of expected) {
      const path = join(out, day.fileName);
      expect(await readFile(path, 'utf8')).toBe(`${day.lines.join('\n')}\n`);
      const parsed = await parseSensorFile(path, 'America/Los_Angeles');
      expect(parsed.errors).toEqual([]);
      expect(parsed.cycles).toHaveLength(day.lines.length);
    }
  });

  it('rejects bad options with one-line CLI errors', async () => {
    const out = join(scratch, 'never');
    const run = (overrides: Partial<Parameters<typeof demoDataCommand>[0]>) => demoDataCommand({ machine: 'line7', days: '1', end: '2022-10-11', seed: '1', out, ...overrides });
    await expect(run({ days: '3x' })).rejects.toThrow(new CliError('--days must be a whole number, got "3x"'));
    await expect(run({ days: '0' })).rejects.toThrow(/--days must be between 1 and 366/);
    await expect(run({ seed: 'abc' })).rejects.toThrow(/--seed must be a whole number/);
    await expect(run({ end: '2022-02-30' })).rejects.toThrow(/--end "2022-02-30" is not a date/);
    await expect(run({ machine: 'line 7' })).rejects.toBeInstanceOf(CliError);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  it('reports an output folder it cannot create', async () => {
    const blocker = join(scratch, 'a-file');
    await writeFile(blocker, 'not a folder');
    await expect(demoDataCommand({ machine: 'line7', days: '1', end: '2022-10-11', seed: '1', out: join(blocker, 'sub') })).rejects.toThrow(/cannot create output folder/);
  });
});
