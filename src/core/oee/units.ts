// Produced and good units: the one definition behind the API, the operations' counts, the
// exports and every screen (DESIGN §4).
// - produced = parts − reworks: a rework is a part whose (lot, serial) the machine saw before, the
//   same unit passing again, so each unit is counted once;
// - good = produced − rejects: what quality counts, Q = good / parts. Rejects are reported by
//   people (machine data alone has none, so there good = produced).

export interface UnitCounts {
  produced: number;
  good: number;
}

export function unitCounts(counts: { parts: number; reworks: number; rejects?: number }): UnitCounts {
  const produced = counts.parts - counts.reworks;
  return { produced, good: goodUnits(produced, counts.rejects ?? 0) };
}

/** Good units of what was produced, given the rejects (an operation's scrap). */
export function goodUnits(produced: number, rejects: number): number {
  return produced - rejects;
}

/** The result with its produced and good units added (the API's results carry them). */
export function withUnitCounts<T extends { parts: number; reworks: number; rejects?: number }>(result: T): T & UnitCounts {
  return { ...result, ...unitCounts(result) };
}
