// The reasons a stop may be given on the Analytics page: the active leaves of the machine's
// process-group tree whose category is a stop's (scrap reasons are for scrap entries, retired ones
// are not offered — a stop that has one still shows its stored label).
import { activeLeaves, isStopCategory, pathLabel, type LossCategory, type ReasonTree } from '../../../../src/core/losses/index.js';

export interface StopReasonOption {
  id: string;
  /** the path of labels, "Unplanned › Jam › Pocket jam" */
  label: string;
  category: LossCategory;
}

export function stopReasonOptions(tree: ReasonTree): StopReasonOption[] {
  return activeLeaves(tree, (leaf) => isStopCategory(leaf.category)).map((leaf) => ({ id: leaf.id, label: pathLabel(leaf.path), category: leaf.category }));
}
