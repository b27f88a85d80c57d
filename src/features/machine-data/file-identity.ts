// How a camera log is recognised: identity = sha256(first min(4096, size) bytes + base name), and
// whether its first bytes are a camera log at all.
import { createHash } from 'node:crypto';

export const IDENTITY_BYTES = 4096;

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** sha256 of the first bytes and the base name: the same file under the same name, whatever its path. */
export function identityOf(head: Buffer, name: string): string {
  return createHash('sha256').update(head).update('\u0000').update(name).digest('hex');
}

/**
 * Why the start of a file is not a camera log, or null: a NUL byte, or mostly control / non-ASCII
 * bytes (images, archives, spreadsheets). The camera writes plain ASCII lines.
 */
export function binaryContent(head: Buffer): { line: number; message: string } | null {
  let suspicious = 0;
  let line = 1;
  for (let i = 0; i < head.length; i++) {
    const byte = head[i];
    if (byte === 0) {
      return { line, message: `not a camera log: the file is binary (NUL byte at offset ${i}); expected text lines like 1330700,159070,137622,1,10/11/22 12:39:21.479` };
    }
    if (byte === 10) line++;
    else if ((byte < 32 && byte !== 9 && byte !== 13) || byte >= 127) suspicious++;
  }
  if (head.length >= 64 && suspicious / head.length > 0.1) {
    return { line: 1, message: `not a camera log: ${Math.round((100 * suspicious) / head.length)} % of its first ${head.length} bytes are not text (binary file?)` };
  }
  return null;
}
