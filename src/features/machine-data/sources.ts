// Where ingested bytes come from: a file on disk (CLI, drop folder, an upload streamed to a temp file)
// or bytes in memory (demo, tests).
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';

export interface IngestSource {
  /** base name (the ledger key together with the machine and the identity) */
  readonly name: string;
  /** where it was read from, for the ledger; null for in-memory bytes */
  readonly path: string | null;
  /** size now */
  describe(): Promise<{ size: number }>;
  /** bytes [start, end) */
  read(start: number, end: number): AsyncIterable<Buffer>;
  /** the first bytes (at most `length`) */
  head(length: number): Promise<Buffer>;
}

/** Read in large chunks: the parser's per-chunk cost is tiny, a batch spans a few chunks. */
const CHUNK_BYTES = 256 * 1024;

export interface FileSourceOptions {
  /** the ledger name when it is not the file's own (an upload's temp file carries the uploaded name) */
  name?: string;
  /** the path the ledger records; null for a temp file that is gone after the run (an upload) */
  recordedPath?: string | null;
}

export function fileSource(path: string, options: FileSourceOptions = {}): IngestSource {
  return {
    name: basename(options.name ?? path),
    path: options.recordedPath === undefined ? path : options.recordedPath,
    async describe() {
      const info = await stat(path);
      if (!info.isFile()) throw new Error(`${path} is not a file`);
      return { size: info.size };
    },
    async *read(start: number, end: number) {
      if (end <= start) return;
      // createReadStream's end is inclusive
      for await (const chunk of createReadStream(path, { start, end: end - 1, highWaterMark: CHUNK_BYTES })) yield chunk as Buffer;
    },
    async head(length: number) {
      const handle = await open(path, 'r');
      try {
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, 0);
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
  };
}

export function bufferSource(name: string, bytes: Buffer, path: string | null = null): IngestSource {
  return {
    name: basename(name),
    path,
    async describe() {
      return { size: bytes.length };
    },
    async *read(start: number, end: number) {
      for (let offset = start; offset < end; offset += CHUNK_BYTES) yield bytes.subarray(offset, Math.min(end, offset + CHUNK_BYTES));
    },
    async head(length: number) {
      return bytes.subarray(0, Math.min(length, bytes.length));
    },
  };
}
