// Test and bench helper: stream a complete camera log file through SensorLogParser. It does file I/O,
// so it lives outside src/core (the parser itself stays pure: bytes in, cycles out).
import { createReadStream } from 'node:fs';
import { SensorLogParser, type Cycle, type RowError } from '../core/sensor/parse.js';

/** Large reads: the parser's cost per chunk is tiny, fewer chunks means fewer string joins. */
const READ_CHUNK_BYTES = 1 << 20;

/**
 * Parses a whole (complete) sensor file. `bytes` = bytes read = the file's size; a file still
 * being written should go through SensorLogParser with end(false) instead.
 * An empty file gives zero cycles and no error: the caller decides how to report "empty".
 */
export async function parseSensorFile(path: string, zone: string): Promise<{ cycles: Cycle[]; errors: RowError[]; bytes: number }> {
  const parser = new SensorLogParser({ file: path, zone });
  const cycles: Cycle[] = [];
  const errors: RowError[] = [];
  let bytes = 0;
  const collect = (batch: { cycles: Cycle[]; errors: RowError[] }) => {
    for (const cycle of batch.cycles) cycles.push(cycle);
    for (const error of batch.errors) errors.push(error);
  };
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK_BYTES })) {
    const buffer = chunk as Buffer;
    bytes += buffer.length;
    collect(parser.push(buffer));
  }
  collect(parser.end(true));
  return { cycles, errors, bytes };
}
