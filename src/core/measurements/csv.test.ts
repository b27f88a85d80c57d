// CSV/TSV parser with column mappings: ISO / epoch / luxon formats, tab, semicolon and comma
// delimiters, decimal comma, several value columns, missing values and bad lines with their number.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvMeasurementParser, csvMappingSchema, parseText, type CsvMappingInput } from './index.js';

const ZONE = 'America/Los_Angeles';
const split = (line: string, delimiter: string) => (parse(line, { delimiter, relax_quotes: true, relax_column_count: true }) as string[][])[0] ?? [];
const run = (text: string, mapping: CsvMappingInput = {}, chunk = 5) =>
  parseText(new CsvMeasurementParser({ file: 'm.csv', zone: ZONE, mapping: csvMappingSchema.parse(mapping), split }), text, chunk);
const rows = (samples: { channel: string; at: number; value: number; line: number }[]) => samples.map((s) => [s.channel, new Date(s.at).toISOString(), s.value, s.line]);

describe('CsvMeasurementParser', () => {
  it('reads ISO local times in the plant zone and maps every other column by its header (no mapping)', () => {
    const { samples, errors } = run('time,thickness,vacuum\n2026-12-03T06:00:00,0.12,-60.5\n2026-12-03T06:00:01Z,0.13,\n');
    expect(errors).toEqual([]);
    expect(rows(samples)).toEqual([
      ['thickness', '2026-12-03T14:00:00.000Z', 0.12, 2],
      ['vacuum', '2026-12-03T14:00:00.000Z', -60.5, 2],
      ['thickness', '2026-12-03T06:00:01.000Z', 0.13, 3],
    ]);
  });

  it('reads a TSV with decimal comma and a luxon format, value columns mapped to channel keys', () => {
    const text = 'Zeit\tDicke [mm]\tTemp [°C]\n03.12.2026 06:00:00\t0,121\t180,5\n03.12.2026 06:00:02\t0,122\t180,7\n';
    const { samples, errors } = run(text, {
      decimal: ',',
      timestamp: { column: 'Zeit', format: 'dd.MM.yyyy HH:mm:ss' },
      columns: [{ column: 'Dicke [mm]', channel: 'film-thickness' }, { column: 3, channel: 'seal-temp' }],
    });
    expect(errors).toEqual([]);
    expect(rows(samples)).toEqual([
      ['film-thickness', '2026-12-03T14:00:00.000Z', 0.121, 2],
      ['seal-temp', '2026-12-03T14:00:00.000Z', 180.5, 2],
      ['film-thickness', '2026-12-03T14:00:02.000Z', 0.122, 3],
      ['seal-temp', '2026-12-03T14:00:02.000Z', 180.7, 3],
    ]);
  });

  it('reads epoch seconds and milliseconds without a header, semicolons detected', () => {
    const s = run('1764770400;1,5\n1764770401;1,6\n', { header: false, decimal: ',', timestamp: { column: 1, format: 'epoch-s' }, columns: [{ column: 2, channel: 'v' }] });
    expect(rows(s.samples)).toEqual([['v', '2025-12-03T14:00:00.000Z', 1.5, 1], ['v', '2025-12-03T14:00:01.000Z', 1.6, 2]]);
    const ms = run('at,v\n1764770400250,7\n', { timestamp: { column: 'at', format: 'epoch-ms' } });
    expect(rows(ms.samples)).toEqual([['v', '2025-12-03T14:00:00.250Z', 7, 2]]);
  });

  it('keeps good lines and reports bad ones with file:line and reason', () => {
    const text = '# exported by sensor hub\ntime,v\n2026-12-03T06:00:00,1\nnot a time,2\n2026-12-03T06:00:02,abc\n2026-12-03T06:00:03,3\n';
    const { samples, errors } = run(text, { skipLines: 1 });
    expect(rows(samples)).toEqual([['v', '2026-12-03T14:00:00.000Z', 1, 3], ['v', '2026-12-03T14:00:03.000Z', 3, 6]]);
    expect(errors).toEqual([
      { file: 'm.csv', line: 4, message: expect.stringContaining("timestamp 'not a time' does not match ISO 8601") },
      { file: 'm.csv', line: 5, message: "value 'abc' of channel 'v' is not a number" },
    ]);
  });

  it('names a mapped column the header lacks, and refuses decimal comma with comma delimiter', () => {
    const { samples, errors } = run('time,v\n2026-12-03T06:00:00,1\n', { columns: [{ column: 'thickness', channel: 't' }] });
    expect(samples).toEqual([]);
    expect(errors).toEqual([{ file: 'm.csv', line: 1, message: "channel t: no column 'thickness' in the header (columns: time, v)" }]);
    const bad = csvMappingSchema.safeParse({ delimiter: ',', decimal: ',' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].path).toEqual(['decimal']);
  });

  it('handles quoted fields and CRLF line ends', () => {
    const { samples, errors } = run('"time","a;b"\r\n"2026-12-03 06:00:00","4.5"\r\n', { delimiter: ',' });
    expect(errors).toEqual([]);
    expect(rows(samples)).toEqual([['a;b', '2026-12-03T14:00:00.000Z', 4.5, 2]]);
  });
});
