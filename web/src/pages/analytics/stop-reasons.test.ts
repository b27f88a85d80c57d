import { describe, expect, it } from 'vitest';
import { defaultReasonTree } from '../../../../src/core/losses/index.js';
import { stopReasonOptions } from './stop-reasons.js';

describe('stopReasonOptions', () => {
  it('offers the active stop leaves by path, not scrap reasons nor retired ones', () => {
    const tree = defaultReasonTree('pouching');
    const unplanned = tree.nodes.find((n) => n.id === 'unplanned')!;
    const jam = unplanned.children!.find((n) => n.id === 'jam')!;
    jam.children!.find((n) => n.id === 'sealer-jam')!.retired = true;
    const options = stopReasonOptions(tree);
    const labels = options.map((o) => o.label);
    expect(labels).toContain('Unplanned › Jam › Pocket jam');
    expect(options.find((o) => o.id === 'sealer-jam')).toBeUndefined();
    expect(options.every((o) => o.category !== 'startupReject' && o.category !== 'productionReject')).toBe(true);
    // the starter tree has scrap reasons: they are left out, not missing from the tree
    expect(JSON.stringify(tree)).toMatch(/productionReject/);
  });
});
