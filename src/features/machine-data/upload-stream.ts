// Uploaded camera logs go to disk as they arrive, never into memory: each multipart file part is
// written to a temp file (a folder of its own per request under the system temp folder), bounded by
// the per-file limit (QMFG_UPLOAD_MAX_MB). Every file of the request is received and checked before
// the caller sees any of them, so one file over the limit refuses the whole request and nothing of
// it is imported. The folder is removed when the caller is done — success, error or aborted request.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { TooLarge } from '../../core/errors.js';

/** Temp folders of uploads in flight are named so (tests look for leftovers). */
export const UPLOAD_TEMP_PREFIX = 'qmfg-upload-';

/** What a multipart file part gives (the part of @fastify/multipart's MultipartFile used here). */
export interface UploadPart {
  filename: string;
  file: Readable & { truncated?: boolean };
}

export interface ReceivedFile {
  /** base name of the uploaded file (a made-up one when the part had none) */
  name: string;
  /** the temp file holding its bytes (gone once the caller is done) */
  path: string;
  bytes: number;
}

export interface UploadLimits {
  maxFileBytes: number;
  maxFiles: number;
}

const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

function fileTooLarge(name: string, limits: UploadLimits): TooLarge {
  return new TooLarge(
    `'${name}' is larger than ${megabytes(limits.maxFileBytes)}, the largest file an upload may carry (QMFG_UPLOAD_MAX_MB): ` +
      'nothing of this upload was imported; split the file or upload it through the drop folder',
  );
}

/** The multipart plugin's own limit errors, in the app's words. */
function limitError(error: unknown, current: string | null, limits: UploadLimits): unknown {
  const code = (error as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return fileTooLarge(current ?? 'a file', limits);
  if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') {
    return new TooLarge(`an upload carries at most ${limits.maxFiles} files: nothing of this upload was imported; upload the files in several goes`);
  }
  return error;
}

/**
 * Receives every file part into a fresh temp folder, then runs `use` with the files in upload order;
 * the folder is removed afterwards whatever happens. A file over the limit throws TooLarge (413)
 * before `use` runs.
 */
export async function withReceivedFiles<T>(parts: AsyncIterable<UploadPart>, limits: UploadLimits, use: (files: ReceivedFile[]) => Promise<T>): Promise<T> {
  const folder = await mkdtemp(join(tmpdir(), UPLOAD_TEMP_PREFIX));
  try {
    const files: ReceivedFile[] = [];
    let current: string | null = null;
    try {
      for await (const part of parts) {
        const name = basename(part.filename || '') || `upload-${files.length + 1}.txt`;
        current = name;
        // numbered, not named: the uploaded name is only a label (two parts may share it)
        const path = join(folder, `${files.length + 1}.part`);
        const out = createWriteStream(path);
        await pipeline(part.file, out);
        // the multipart parser stops a file at the limit and marks it truncated
        if (part.file.truncated) throw fileTooLarge(name, limits);
        files.push({ name, path, bytes: out.bytesWritten });
        current = null;
      }
    } catch (error) {
      throw limitError(error, current, limits);
    }
    return await use(files);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
