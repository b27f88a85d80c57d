// The sensor-log ingest hot path: parse one real line-day (Line 7, 13 Oct 2022: 85 822 rows,
// 3.9 MB) from disk into UTC cycles, in-process. Plus the same bytes already in memory (the
// parser alone, as when the drop-folder watcher hands over new bytes), and one synthetic demo day.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SensorLogParser, generateDay } from '../src/core/sensor/index.js';
import { parseSensorFile } from '../src/testing/parse-file.js';
import { sample, type Figure } from './lib.js';

const SENSORS = fileURLToPath(new URL('../../shared/data/sensors', import.meta.url));
const LINE_DAY = join(SENSORS, 'Line7', 'PR20221013.txt');
const ZONE = 'America/Los_Angeles';
const EXPECTED_ROWS = 85_822;

export default async function parseBench(): Promise<Figure[]> {
  const check = await parseSensorFile(LINE_DAY, ZONE);
  if (check.cycles.length !== EXPECTED_ROWS || check.errors.length !== 0) {
    throw new Error(`expected ${EXPECTED_ROWS} cycles and no errors from ${LINE_DAY}, got ${check.cycles.length} cycles and ${check.errors.length} errors`);
  }

  const fromDisk = await sample(() => parseSensorFile(LINE_DAY, ZONE), 15, 3);

  const bytes = readFileSync(LINE_DAY);
  const inMemory = await sample(() => {
    const parser = new SensorLogParser({ file: LINE_DAY, zone: ZONE });
    const batch = parser.push(bytes);
    parser.end(true);
    return batch.cycles.length;
  }, 15, 3);

  const demoDay = await sample(() => generateDay({ machine: 'line7', date: '2022-10-13', zone: ZONE, seed: 1, lots: [{ item: '1451300', lot: '159053' }] }), 5, 1);

  return [
    { name: 'sensor: parse one real line-day', value: round(fromDisk.median), unit: 'ms', target: 150 },
    { name: 'sensor: parse one real line-day, bytes in memory', value: round(inMemory.median), unit: 'ms', target: 150 },
    { name: 'sensor: generate one demo line-day', value: round(demoDay.median), unit: 'ms', target: 500 },
  ];
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
