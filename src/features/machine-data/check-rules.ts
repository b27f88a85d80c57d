// Where a camera log belongs and whether a chosen machine contradicts it: pure rules shared by the
// server's upload check and the upload panel (which re-judges when the user picks another machine).
import type { UploadCheck } from './schemas.js';

/** "Line 7", "line7", "LINE_7" → "line7": how folder names and machines are compared. */
export function comparableName(text: string): string {
  return text.toLowerCase().replace(/[\s_.-]+/g, '');
}

/**
 * The machine a folder path names (the deepest folder that matches a machine's key or name, case,
 * spaces and dashes ignored), or null. `folder` is the browser's relative path without the file name.
 */
export function machineFromFolder(folder: string | null | undefined, machines: readonly { key: string; name: string }[]): string | null {
  if (!folder) return null;
  const segments = folder.split(/[\\/]+/).filter(Boolean).reverse();
  for (const segment of segments) {
    const wanted = comparableName(segment);
    const match = machines.find((m) => comparableName(m.key) === wanted || comparableName(m.name) === wanted);
    if (match) return match.key;
  }
  return null;
}

export interface Ownership {
  folderMachine: string | null;
  /** machines that already have some of the file's lots, most cycles first */
  lotsSeenOn: { machine: string; lots: string[]; cycles: number }[];
  /** machines that have made some of the file's items */
  itemsSeenOn: { machine: string; items: string[] }[];
}

/** Which machine the file most likely belongs to, and why (pure). */
export function inferMachine(ownership: Ownership): { machine: string | null; because: 'folder' | 'lots' | 'items' | null } {
  if (ownership.folderMachine) return { machine: ownership.folderMachine, because: 'folder' };
  if (ownership.lotsSeenOn.length > 0) return { machine: ownership.lotsSeenOn[0].machine, because: 'lots' };
  if (ownership.itemsSeenOn.length === 1) return { machine: ownership.itemsSeenOn[0].machine, because: 'items' };
  return { machine: null, because: null };
}

/**
 * Whether uploading to `chosen` contradicts what is known: the folder names another machine, or
 * the file's lots are on other machines and none of them on `chosen` (a grown file of the same
 * machine has its lots there already: no mismatch).
 */
export function mismatchOf(ownership: Ownership, chosen: string | null): UploadCheck['mismatch'] {
  if (!chosen) return null;
  const elsewhere = ownership.lotsSeenOn.filter((o) => o.machine !== chosen);
  const onChosen = ownership.lotsSeenOn.some((o) => o.machine === chosen);
  const lotMismatch = !onChosen && elsewhere.length > 0;
  const folderMismatch = ownership.folderMachine !== null && ownership.folderMachine !== chosen;
  if (!lotMismatch && !folderMismatch) return null;
  return {
    lots: lotMismatch ? [...new Set(elsewhere.flatMap((o) => o.lots))].sort() : [],
    lotMachines: lotMismatch ? elsewhere.map((o) => o.machine) : [],
    folderMachine: folderMismatch ? ownership.folderMachine : null,
  };
}

