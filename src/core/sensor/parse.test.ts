import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ERRORS_PER_FILE, SensorLogParser, fileDateFromName, isNoLot, type Cycle, type ParseBatch, type RowError } from './parse.js';
import { parseSensorFile } from '../../testing/parse-file.js';
import { summarize } from './stats.js';
import { mulberry32 } from './generate.js';

// Real logs, read in place from the project root's sibling folder (never copied into the project).
const SENSORS = fileURLToPath(new URL('../../../../shared/data/sensors/', import.meta.url));
const ZONE = 'America/Los_Angeles';
const REAL_FILES = ['Line7/PR20221010.txt', 'Line7/PR20221011.txt', 'Line7/PR20221012.txt', 'Line7/PR20221013.txt', 'Line8/PR20221010.txt', 'Line8/PR20221011.txt', 'Line8/PR20221012.txt', 'Line8/PR20221013.txt'];
const real = (name: string) => join(SENSORS, name);

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'qmfg-sensor-parse-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function writeScratch(name: string, content: string | Buffer): Promise<string> {
  const path = join(scratch, name);
  await writeFile(path, content);
  return path;
}

/** Feeds `bytes` in chunks of the given sizes (cycled) and collects everything, final=true. */
function parseInChunks(bytes: Buffer, chunkSizes: () => number, file = 'test.txt'): ParseBatch & { consumed: number } {
  const parser = new SensorLogParser({ file, zone: ZONE });
  const cycles: Cycle[] = [];
  const errors: RowError[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    const size = Math.max(1, chunkSizes());
    const batch = parser.push(bytes.subarray(offset, offset + size));
    cycles.push(...batch.cycles);
    errors.push(...batch.errors);
    offset += size;
  }
  const last = parser.end(true);
  cycles.push(...last.cycles);
  errors.push(...last.errors);
  return { cycles, errors, consumed: parser.consumedBytes };
}

/** Non-blank lines counted independently of the parser: split on \n, ignore lines of only whitespace. */
function nonBlankLines(text: string): number {
  return text.split('\n').filter((line) => line.trim() !== '').length;
}

/** Reference conversion of one camera timestamp, straight through Luxon (slow, obviously right). */
function luxonInstant(stamp: string): number {
  const match = /^(\d\d)\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)[.;](\d\d\d)$/.exec(stamp);
  if (match === null) throw new Error(`reference parser cannot read ${stamp}`);
  const [month, day, year, hour, minute, second, millisecond] = match.slice(1).map(Number);
  return DateTime.fromObject({ year: 2000 + year, month, day, hour, minute, second, millisecond }, { zone: ZONE }).toMillis();
}

describe('real camera files', () => {
  it.each(REAL_FILES)('%s: one cycle per non-blank line, no errors, bytes = file size', async (name) => {
    const text = await readFile(real(name), 'latin1');
    const result = await parseSensorFile(real(name), ZONE);
    expect(result.errors).toEqual([]);
    expect(result.cycles.length).toBe(nonBlankLines(text));
    expect(result.bytes).toBe(Buffer.byteLength(text, 'latin1'));
    // line numbers run 1..n with no blank lines in these files
    expect(result.cycles[0].line).toBe(1);
    expect(result.cycles.at(-1)?.line).toBe(result.cycles.length);
  });

  it('Line8/PR20221010.txt (milliseconds after ";") converts every row exactly as Luxon does', async () => {
    const lines = (await readFile(real('Line8/PR20221010.txt'), 'latin1')).split('\n').filter((line) => line !== '');
    expect(lines[0]).toContain(';');
    const { cycles } = await parseSensorFile(real('Line8/PR20221010.txt'), ZONE);
    expect(cycles.length).toBe(lines.length);
    let mismatches = 0;
    for (let i = 0; i < lines.length; i++) {
      const [item, lot, serial, part, stamp] = lines[i].split(',');
      const cycle = cycles[i];
      if (cycle.at !== luxonInstant(stamp) || cycle.item !== item || cycle.lot !== lot || cycle.serial !== serial || cycle.part !== (part === '1')) mismatches++;
    }
    expect(mismatches).toBe(0);
    // first row: 1440700,0,0,0,10/10/22 05:57:31;877 — PDT, so 12:57:31.877Z
    expect(new Date(cycles[0].at).toISOString()).toBe('2022-10-10T12:57:31.877Z');
  });

  it('keeps lots and serials as written: 0 and 000000 are both "no lot"; leading zeros stay', async () => {
    const line7 = await parseSensorFile(real('Line7/PR20221013.txt'), ZONE);
    expect(line7.cycles[0].lot).toBe('000000');
    expect(line7.cycles[0].serial).toBe('000000');
    const line7Before = await parseSensorFile(real('Line7/PR20221010.txt'), ZONE);
    const emptyPocket = line7Before.cycles.find((cycle) => !cycle.part);
    expect(emptyPocket?.lot).toBe('0');
    const line8 = await parseSensorFile(real('Line8/PR20221013.txt'), ZONE);
    // 1169100,159391,001711,0,… keeps its zero-padded serial
    expect(line8.cycles.some((cycle) => cycle.serial === '001711')).toBe(true);
    expect(isNoLot('0')).toBe(true);
    expect(isNoLot('000000')).toBe(true);
    expect(isNoLot('159070')).toBe(false);
    expect(isNoLot('100000')).toBe(false);
  });

  it('counts the camera clock stepping backwards (up to ~1.6 s, a few times a file)', async () => {
    let totalSteps = 0;
    let largestStepMs = 0;
    for (const name of REAL_FILES) {
      const { cycles } = await parseSensorFile(real(name), ZONE);
      let steps = 0;
      for (let i = 1; i < cycles.length; i++) {
        const gap = cycles[i].at - cycles[i - 1].at;
        if (gap < 0) {
          steps++;
          largestStepMs = Math.max(largestStepMs, -gap);
        }
      }
      expect(summarize(cycles).gapsBackwards).toBe(steps);
      expect(steps).toBeLessThanOrEqual(10);
      totalSteps += steps;
    }
    expect(totalSteps).toBeGreaterThan(20);
    expect(largestStepMs).toBeGreaterThan(1500);
    expect(largestStepMs).toBeLessThan(1700);
  });

  it('finds the lot changeovers listed in the README with summarize().lots', async () => {
    const lotsOf = async (name: string) => summarize((await parseSensorFile(real(name), ZONE)).cycles).lots.map((run) => `${run.item}/${run.lot}`);
    expect(await lotsOf('Line7/PR20221012.txt')).toEqual(['1169100/159159', '1451300/159053']);
    expect(await lotsOf('Line8/PR20221010.txt')).toEqual(['1440700/158781', '1330700/159070']);
    // Line 8 changes to 1169100 lot 159391 on 13 Oct, between the 12th's file and the 13th's.
    const twelfth = await parseSensorFile(real('Line8/PR20221012.txt'), ZONE);
    const thirteenth = await parseSensorFile(real('Line8/PR20221013.txt'), ZONE);
    const across = summarize([...twelfth.cycles, ...thirteenth.cycles]).lots;
    expect(across.map((run) => `${run.item}/${run.lot}`)).toEqual(['1330700/159070', '1169100/159391']);
    expect(DateTime.fromMillis(across[1].first, { zone: ZONE }).toISODate()).toBe('2022-10-13');
    // A lot spans several days: Line 7 runs 159159 on the 10th, 11th and 12th.
    for (const name of ['Line7/PR20221010.txt', 'Line7/PR20221011.txt']) expect(await lotsOf(name)).toEqual(['1169100/159159']);
  });

  it('gives the same cycles whatever the chunk boundaries (random chunk sizes over a whole real file)', async () => {
    const bytes = await readFile(real('Line8/PR20221011.txt'));
    const whole = await parseSensorFile(real('Line8/PR20221011.txt'), ZONE);
    const random = mulberry32(42);
    const chunked = parseInChunks(bytes, () => Math.floor(random() * 3000) + 1);
    expect(chunked.errors).toEqual([]);
    expect(chunked.cycles).toEqual(whole.cycles);
    expect(chunked.consumed).toBe(bytes.length);
  });
});

describe('quirks and bad input', () => {
  const good = [
    '1330700,159070,137622,1,10/11/22 12:39:21.479',
    '1330700,0,0,0,10/11/22 12:39:21.902',
    '1330700,159070,137623,1,10/11/22 12:39:22;345',
    '1330700,000000,000000,0,10/11/22 12:39:22.801',
  ];

  it('parses a row into UTC, item, lot, serial, part and line', async () => {
    const result = await parseSensorFile(await writeScratch('one.txt', `${good[0]}\n`), ZONE);
    expect(result.cycles).toEqual([{ at: Date.UTC(2022, 9, 11, 19, 39, 21, 479), item: '1330700', lot: '159070', serial: '137622', part: true, line: 1 }]);
  });

  it('reads CRLF and LF files alike, skips blank lines but counts them', async () => {
    const lf = await parseSensorFile(await writeScratch('lf.txt', `${good.join('\n')}\n`), ZONE);
    const crlf = await parseSensorFile(await writeScratch('crlf.txt', `${good.join('\r\n')}\r\n`), ZONE);
    expect(crlf.cycles).toEqual(lf.cycles);
    expect(lf.cycles.map((cycle) => cycle.line)).toEqual([1, 2, 3, 4]);
    const withBlanks = await parseSensorFile(await writeScratch('blanks.txt', `\n${good[0]}\n\n  \r\n${good[1]}\n\n`), ZONE);
    expect(withBlanks.errors).toEqual([]);
    expect(withBlanks.cycles.map((cycle) => cycle.line)).toEqual([2, 5]);
  });

  it('reads the ";" before the milliseconds like "."', async () => {
    const { cycles } = await parseSensorFile(await writeScratch('semicolon.txt', `${good[2]}\n${good[2].replace(';', '.')}\n`), ZONE);
    expect(cycles).toHaveLength(2);
    expect(cycles[0].at).toBe(cycles[1].at);
    expect(cycles[0].at % 1000).toBe(345);
  });

  it('accepts the looser layouts a camera might write (1-digit fields, 4-digit year, short fraction)', async () => {
    const rows = ['1,2,3,1,1/5/2023 7:04:09.5', '1,2,3,1,01/05/23 07:04:09.500'];
    const { cycles, errors } = await parseSensorFile(await writeScratch('loose.txt', `${rows.join('\n')}\n`), ZONE);
    expect(errors).toEqual([]);
    expect(cycles[0].at).toBe(cycles[1].at);
  });

  it('reports a 4-column row, a bad date and a non-numeric part with file:line and the field, keeping the rest', async () => {
    const rows = [
      good[0],
      '1330700,159070,137623,10/11/22 12:39:22.001',
      '1330700,159070,137624,1,13/45/22 10:00:00.000',
      '1330700,159070,137625,yes,10/11/22 12:39:23.001',
      '1330700,159070,13x625,1,10/11/22 12:39:23.401',
      '1330700,159070,137626,1,10/11/22 25:39:23',
      'garbled line without commas',
      good[1],
    ];
    const path = await writeScratch('bad-rows.txt', `${rows.join('\n')}\n`);
    const { cycles, errors } = await parseSensorFile(path, ZONE);
    expect(cycles.map((cycle) => cycle.line)).toEqual([1, 8]);
    expect(errors).toEqual([
      { file: path, line: 2, message: 'expected 5 comma-separated columns (item_number,lot_number,serial_number,part_present,timestamp), found 4' },
      { file: path, line: 3, message: "timestamp '13/45/22 10:00:00.000' is not a valid date (expected MM/DD/YY HH:MM:SS.fff)" },
      { file: path, line: 4, message: "part_present 'yes' is not 0 or 1" },
      { file: path, line: 5, message: "serial_number '13x625' is not a number" },
      { file: path, line: 6, message: "timestamp '10/11/22 25:39:23' is not in the format MM/DD/YY HH:MM:SS.fff" },
      { file: path, line: 7, message: 'expected 5 comma-separated columns (item_number,lot_number,serial_number,part_present,timestamp), found 1' },
    ]);
  });

  it('rejects impossible calendar dates (31 Sep, 29 Feb of a common year)', async () => {
    const rows = ['1,2,3,1,09/31/22 10:00:00.000', '1,2,3,1,02/29/23 10:00:00.000', '1,2,3,1,02/29/24 10:00:00.000'];
    const { cycles, errors } = await parseSensorFile(await writeScratch('dates.txt', `${rows.join('\n')}\n`), ZONE);
    expect(errors.map((error) => error.line)).toEqual([1, 2]);
    expect(errors[0].message).toContain('is not a valid date');
    expect(cycles.map((cycle) => cycle.line)).toEqual([3]);
  });

  it('reports a line with NUL bytes or invalid UTF-8 as binary, one error per bad line', async () => {
    const content = Buffer.concat([
      Buffer.from(`${good[0]}\n`),
      Buffer.from([0x31, 0x00, 0x02, 0x2c, 0x0a]),
      Buffer.from([0xff, 0xfe, 0x41, 0x2c, 0x42, 0x0a]),
      Buffer.from('1330700,159070,137622,1,10/11/22 12:39:21.479 – ok?\n'),
      Buffer.from(`${good[1]}\n`),
    ]);
    const path = await writeScratch('mixed-binary.bin', content);
    const { cycles, errors } = await parseSensorFile(path, ZONE);
    expect(cycles.map((cycle) => cycle.line)).toEqual([1, 5]);
    expect(errors.map((error) => [error.line, error.message])).toEqual([
      [2, 'line contains binary data (byte 0x00 at column 2), not text'],
      [3, 'line is not valid UTF-8 text (binary content?)'],
      [4, "timestamp '10/11/22 12:39:21.479 – ok?' is not in the format MM/DD/YY HH:MM:SS.fff"],
    ]);
  });

  it('caps the errors of a binary file at 100 plus one summary counting the rest', async () => {
    const random = mulberry32(7);
    const bytes = Buffer.alloc(300_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
    const path = await writeScratch('random.bin', bytes);
    const { cycles, errors } = await parseSensorFile(path, ZONE);
    // Independent count of the lines the parser must reject: non-blank after trimming \r, space, tab.
    const lines = bytes.toString('latin1').split('\n');
    const badLines = lines.filter((line) => line.replace(/[\r \t]+$/, '') !== '').length;
    expect(badLines).toBeGreaterThan(MAX_ERRORS_PER_FILE);
    expect(cycles).toEqual([]);
    expect(errors).toHaveLength(MAX_ERRORS_PER_FILE + 1);
    const summary = errors[MAX_ERRORS_PER_FILE];
    expect(summary.message).toMatch(new RegExp(`^${badLines - MAX_ERRORS_PER_FILE} more bad rows not listed`));
    expect(errors.slice(0, MAX_ERRORS_PER_FILE).every((error) => /binary|UTF-8|bytes long|columns/.test(error.message))).toBe(true);
  });

  it('reports a huge line without newline once and keeps the rows after it, in any chunking', async () => {
    const random = mulberry32(9);
    const blob = Buffer.alloc(20_000);
    for (let i = 0; i < blob.length; i++) blob[i] = 0x21 + Math.floor(random() * 90); // printable, no newline
    const bytes = Buffer.concat([Buffer.from(`${good[0]}\n`), blob, Buffer.from(`\n${good[1]}\n`)]);
    const whole = parseInChunks(bytes, () => bytes.length);
    expect(whole.cycles.map((cycle) => cycle.line)).toEqual([1, 3]);
    expect(whole.errors).toEqual([{ file: 'test.txt', line: 2, message: 'line is 20000 bytes long, not a camera row (binary content?)' }]);
    const byteByByte = parseInChunks(bytes, () => 1);
    expect(byteByByte.cycles).toEqual(whole.cycles);
    expect(byteByByte.errors).toEqual(whole.errors);
    expect(byteByByte.consumed).toBe(bytes.length);
  });

  it('gives zero cycles and no error for an empty file', async () => {
    const result = await parseSensorFile(await writeScratch('empty.txt', ''), ZONE);
    expect(result).toEqual({ cycles: [], errors: [], bytes: 0 });
  });

  it('skips a UTF-8 byte-order mark at the start of a file', async () => {
    const { cycles, errors } = await parseSensorFile(await writeScratch('bom.txt', `\ufeff${good[0]}\n`), ZONE);
    expect(errors).toEqual([]);
    expect(cycles).toHaveLength(1);
  });

  it('feeding 1-byte chunks equals the whole-file parse, quirks and errors included', () => {
    const text = [
      `\ufeff${good[0]}`,
      '',
      `${good[2]}\r`,
      '1330700,159070,137623,1,13/45/22 10:00:00.000',
      good[3],
      '   ',
      '1,2,3',
      good[1],
    ].join('\n');
    const bytes = Buffer.from(`${text}\n${good[0]}`); // last line without newline
    const whole = parseInChunks(bytes, () => bytes.length);
    const byteByByte = parseInChunks(bytes, () => 1);
    expect(whole.cycles.map((cycle) => cycle.line)).toEqual([1, 3, 5, 8, 9]);
    expect(whole.errors.map((error) => error.line)).toEqual([4, 7]);
    expect(byteByByte).toEqual(whole);
    expect(whole.consumed).toBe(bytes.length);
  });

  it('leaves a truncated last line unconsumed until the rest arrives, then yields it exactly once', () => {
    const complete = `${good[0]}\n${good[1]}\n`;
    const partial = good[2].slice(0, 20);
    const parser = new SensorLogParser({ file: 'growing.txt', zone: ZONE });
    const first = parser.push(Buffer.from(complete + partial));
    expect(first.cycles.map((cycle) => cycle.line)).toEqual([1, 2]);
    const endOfWhatWeHave = parser.end(false);
    expect(endOfWhatWeHave).toEqual({ cycles: [], errors: [] });
    expect(parser.consumedBytes).toBe(Buffer.byteLength(complete));

    // The same parser gets the rest of the line later …
    const rest = parser.push(Buffer.from(`${good[2].slice(20)}\n`));
    expect(rest.cycles.map((cycle) => [cycle.line, cycle.serial])).toEqual([[3, '137623']]);
    expect(parser.end(true)).toEqual({ cycles: [], errors: [] });
    expect(parser.consumedBytes).toBe(Buffer.byteLength(`${complete}${good[2]}\n`));

    // … or a new parser resumes from the ledger (byte offset + next line), as after a restart.
    const file = Buffer.from(`${complete}${good[2]}\n${good[3]}\n`);
    const resumed = new SensorLogParser({ file: 'growing.txt', zone: ZONE, startLine: 3, startByte: Buffer.byteLength(complete) });
    const batch = resumed.push(file.subarray(Buffer.byteLength(complete)));
    expect(batch.cycles.map((cycle) => [cycle.line, cycle.serial])).toEqual([[3, '137623'], [4, '000000']]);
    expect(resumed.consumedBytes).toBe(file.length);
  });

  it('parses a last line without newline only when the file is final', () => {
    const bytes = Buffer.from(`${good[0]}\n${good[1]}`);
    const growing = new SensorLogParser({ file: 'f.txt', zone: ZONE });
    expect(growing.push(bytes).cycles).toHaveLength(1);
    expect(growing.end(false).cycles).toHaveLength(0);
    const complete = new SensorLogParser({ file: 'f.txt', zone: ZONE });
    expect(complete.push(bytes).cycles).toHaveLength(1);
    expect(complete.end(true).cycles.map((cycle) => cycle.line)).toEqual([2]);
    expect(complete.consumedBytes).toBe(bytes.length);
  });

  it('keeps good rows among many bad ones and summarizes errors beyond the cap', async () => {
    const rows: string[] = [];
    for (let i = 0; i < 250; i++) rows.push(good[0], 'not,a,row');
    const path = await writeScratch('many-bad.txt', `${rows.join('\n')}\n`);
    const { cycles, errors } = await parseSensorFile(path, ZONE);
    expect(cycles).toHaveLength(250);
    expect(errors).toHaveLength(MAX_ERRORS_PER_FILE + 1);
    expect(errors[MAX_ERRORS_PER_FILE]).toEqual({
      file: path,
      line: 202,
      message: `150 more bad rows not listed (lines 202–500); only the first ${MAX_ERRORS_PER_FILE} errors of a file are reported`,
    });
  });

  it('refuses an unknown time zone and bad resume positions', () => {
    expect(() => new SensorLogParser({ file: 'f', zone: 'Nowhere/Land' })).toThrow(/Nowhere\/Land/);
    expect(() => new SensorLogParser({ file: 'f', zone: ZONE, startLine: 0 })).toThrow(/startLine/);
    expect(() => new SensorLogParser({ file: 'f', zone: ZONE, startByte: -1 })).toThrow(/startByte/);
  });
});

describe('fileDateFromName', () => {
  it('reads the date from the camera file name', () => {
    expect(fileDateFromName('PR20221011.txt')).toBe('2022-10-11');
    expect(fileDateFromName('../shared/data/sensors/Line7/PR20221013.txt')).toBe('2022-10-13');
    expect(fileDateFromName('C:\\drop\\line8\\PR20240229.TXT')).toBe('2024-02-29');
    expect(fileDateFromName('20221011.txt')).toBe('2022-10-11');
  });

  it('returns null when the name carries no valid date', () => {
    expect(fileDateFromName('PR20230229.txt')).toBeNull();
    expect(fileDateFromName('PR20221301.txt')).toBeNull();
    expect(fileDateFromName('PR2022101.txt')).toBeNull();
    expect(fileDateFromName('notes.txt')).toBeNull();
    expect(fileDateFromName('PR20221011.csv')).toBeNull();
  });
});
