// LVM parser over fixture files of each variant: relative and absolute X, tab and comma separators,
// decimal comma, one / no / multi X columns, several segments, missing values and garbage lines;
// fed in tiny chunks, so lines split across chunks are joined.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LvmParser, parseText, LABVIEW_EPOCH_OFFSET_SECONDS } from './index.js';

const ZONE = 'America/Los_Angeles';
const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name));
const parse = (name: string, chunk = 7) => {
  const parser = new LvmParser({ file: name, zone: ZONE });
  return { ...parseText(parser, fixture(name), chunk), channels: parser.channels() };
};
const iso = (ms: number) => new Date(ms).toISOString();

describe('LvmParser', () => {
  it('reads relative X from the segment Date+Time in the plant zone, two channels, units, missing values and NaN', () => {
    const { samples, errors, channels } = parse('relative-two-channels.lvm');
    expect(errors).toEqual([]);
    expect(channels).toEqual([{ name: 'Thickness', unit: 'mm' }, { name: 'Seal temperature', unit: '°C' }]);
    // 06:00:00.5 Pacific (PST, UTC−8) = 14:00:00.5 UTC
    expect(samples.map((s) => [s.channel, iso(s.at), s.value, s.line])).toEqual([
      ['Thickness', '2026-12-03T14:00:00.500Z', 0.121, 24],
      ['Seal temperature', '2026-12-03T14:00:00.500Z', 180.1, 24],
      ['Thickness', '2026-12-03T14:00:01.500Z', 0.123, 25],
      ['Seal temperature', '2026-12-03T14:00:01.500Z', 180.3, 25],
      ['Seal temperature', '2026-12-03T14:00:02.500Z', 180.2, 26],
      ['Thickness', '2026-12-03T14:00:03.500Z', 0.125, 27],
    ]);
  });

  it('reads absolute X (seconds since 1904 UTC) with comma separators and reports a garbage line with its number', () => {
    const { samples, errors } = parse('absolute-comma.lvm', 3);
    expect(samples.map((s) => [iso(s.at), s.value])).toEqual([
      [iso((3_850_092_000 - LABVIEW_EPOCH_OFFSET_SECONDS) * 1000), -61.5],
      ['2026-01-01T06:00:00.500Z', -61.7],
      ['2026-01-01T06:00:01.500Z', -62],
    ]);
    expect(errors).toEqual([{ file: 'absolute-comma.lvm', line: 22, message: expect.stringContaining("X_Value 'garbage here' is not a number") }]);
  });

  it('reads X_Columns No (X0 + i·Delta_X per channel), decimal comma, and a second segment with its own start', () => {
    const { samples, errors } = parse('no-x-decimal-comma-two-segments.lvm', 5);
    expect(errors).toEqual([{ file: 'no-x-decimal-comma-two-segments.lvm', line: 21, message: expect.stringContaining("value 'abc' of channel 'Vacuum' is not a number") }]);
    // 08:00 Pacific in July (PDT, UTC−7) = 15:00 UTC; the vacuum channel starts 10 s later, every 2 s
    expect(samples.map((s) => [s.channel, iso(s.at), s.value])).toEqual([
      ['Thickness', '2026-07-01T15:00:00.000Z', 0.12],
      ['Vacuum', '2026-07-01T15:00:10.000Z', -60.5],
      ['Thickness', '2026-07-01T15:00:01.000Z', 0.122],
      ['Vacuum', '2026-07-01T15:00:14.000Z', -60.7],
      ['Thickness', '2026-07-01T16:00:00.000Z', 0.13],
      ['Thickness', '2026-07-01T16:00:01.000Z', 0.131],
    ]);
  });

  it('reads an X column per channel (X_Columns Multi)', () => {
    const { samples, errors } = parse('multi-x.lvm', 1);
    expect(errors).toEqual([]);
    expect(samples.map((s) => [s.channel, iso(s.at), s.value])).toEqual([
      ['Thickness', '2026-12-03T18:00:00.000Z', 0.1],
      ['Vacuum', '2026-12-03T18:00:00.250Z', -60],
      ['Thickness', '2026-12-03T18:00:01.000Z', 0.2],
      ['Vacuum', '2026-12-03T18:00:01.250Z', -61],
    ]);
  });

  it('reads an absolute X written as a date-time in the plant zone', () => {
    const text = 'LabVIEW Measurement\t\nSeparator\tTab\nX_Columns\tOne\nTime_Pref\tAbsolute\n***End_of_Header***\t\nChannels\t1\t\n***End_of_Header***\t\t\nX_Value\tVacuum\n2026/12/03 06:00:00.250\t-60\n';
    const { samples, errors } = parseText(new LvmParser({ file: 'dt.lvm', zone: ZONE }), text);
    expect(errors).toEqual([]);
    expect(samples.map((s) => [iso(s.at), s.value])).toEqual([['2026-12-03T14:00:00.250Z', -60]]);
  });

  it('rejects a file that is not an LVM with one clear error, and an LVM without segments', () => {
    const notLvm = parseText(new LvmParser({ file: 'x.lvm', zone: ZONE }), 'time,value\n1,2\n');
    expect(notLvm.samples).toEqual([]);
    expect(notLvm.errors).toEqual([{ file: 'x.lvm', line: 1, message: expect.stringContaining("not a LabVIEW measurement file") }]);
    const headerOnly = parseText(new LvmParser({ file: 'h.lvm', zone: ZONE }), 'LabVIEW Measurement\t\nSeparator\tTab\n');
    expect(headerOnly.errors.map((e) => e.message)).toEqual([expect.stringContaining('no segment')]);
  });

  it('refuses a non-time X dimension and an unreadable separator', () => {
    const text = 'LabVIEW Measurement\t\nSeparator\tSemicolon\n***End_of_Header***\t\nChannels\t1\t\nX_Dimension\tDistance\t\n***End_of_Header***\t\t\n';
    const { errors } = parseText(new LvmParser({ file: 'd.lvm', zone: ZONE }), text);
    expect(errors.map((e) => [e.line, e.message])).toEqual([
      [2, "Separator 'Semicolon' is not Tab or Comma"],
      [6, expect.stringContaining("X_Dimension 'Distance' is not Time")],
    ]);
  });

  it('gives the same result whatever the chunk size (lines split across chunks)', () => {
    const whole = parse('relative-two-channels.lvm', 1 << 20);
    for (const chunk of [1, 2, 13, 64]) expect(parse('relative-two-channels.lvm', chunk).samples).toEqual(whole.samples);
  });
});
