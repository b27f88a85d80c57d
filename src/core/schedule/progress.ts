// What a work order has made so far, one definition for the list, the panel, the board and the
// export. Each step counts its own produced and good units; the work order as a whole has as many
// good units as its furthest step that has produced anything (a pouched lot that kitting has not
// started yet has the pouched good units; once kitting runs, what kitting made is what exists).

export interface StepCounts {
  /** index into the routing, 0-based */
  step: number;
  produced: number;
  good: number;
}

export interface WorkOrderProgress {
  /** good units of the furthest step that has produced anything; 0 before any production */
  good: number;
  /** that step, or null before any production */
  step: number | null;
}

export function workOrderProgress(steps: readonly StepCounts[]): WorkOrderProgress {
  let furthest: StepCounts | null = null;
  for (const s of steps) if (s.produced > 0 && (furthest === null || s.step > furthest.step)) furthest = s;
  return furthest === null ? { good: 0, step: null } : { good: furthest.good, step: furthest.step };
}
