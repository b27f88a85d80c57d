// Reason trees: validation with paths, versions that may retire but never remove, finding a leaf
// from what a person typed, and the audit wording of a change.
import { describe, expect, it } from 'vitest';
import { activeLeaves, checkNewVersion, defaultReasonTree, describeTreeChange, findLeafByPath, leafOf, reasonTreeSchema, type ReasonTree } from './tree.js';
import { isScrapCategory, isStopCategory } from './categories.js';

const issues = (tree: unknown) => {
  const parsed = reasonTreeSchema.safeParse(tree);
  return parsed.success ? [] : parsed.error.issues.map((i) => [i.path.join('.'), i.message]);
};

describe('reason trees', () => {
  it('the starter trees are valid, have the automatic minor stop, stop reasons and scrap reasons', () => {
    for (const kind of ['pouching', 'generic'] as const) {
      const tree = defaultReasonTree(kind);
      expect(issues(tree)).toEqual([]);
      expect(leafOf(tree, 'minor-stop')).toMatchObject({ category: 'minorStop', path: ['Unplanned', 'Minor stop'] });
      expect(activeLeaves(tree, (l) => isStopCategory(l.category)).length).toBeGreaterThan(10);
      expect(activeLeaves(tree, (l) => isScrapCategory(l.category)).length).toBeGreaterThanOrEqual(5);
    }
  });

  it('validation names the node: ids, duplicates, leaves without a category, depth', () => {
    expect(issues({ nodes: [{ id: 'Bad Id', label: 'x', category: 'breakdown' }] })[0][0]).toBe('nodes.0.id');
    expect(issues({ nodes: [{ id: 'a', label: 'A' }] })).toEqual([['nodes.0.category', "choose the loss category of 'A'"]]);
    expect(issues({ nodes: [{ id: 'a', label: 'A', category: 'setup' }, { id: 'a', label: 'a', category: 'setup' }] }).map((i) => i[0])).toEqual(['nodes.1.id', 'nodes.1.label']);
    const deep = { nodes: [{ id: 'l1', label: '1', children: [{ id: 'l2', label: '2', children: [{ id: 'l3', label: '3', children: [{ id: 'l4', label: '4', children: [{ id: 'l5', label: '5', category: 'setup' }] }] }] }] }] };
    expect(issues(deep)[0]).toEqual(['nodes.0.children.0.children.0.children.0.children.0', 'at most 4 levels (Unplanned › Jam › Pocket jam is 3)']);
    expect(issues({ nodes: [{ id: 'g', label: 'G', category: 'setup', children: [{ id: 'x', label: 'X', category: 'setup' }] }] })[0][0]).toBe('nodes.0.category');
  });

  it('a new version may retire but not remove; retired leaves are not offered but stay readable', () => {
    const before = defaultReasonTree('pouching');
    const removed: ReasonTree = structuredClone(before);
    removed.nodes[1].children![0].children!.shift(); // Unplanned › Jam › Pocket jam
    expect(checkNewVersion(before, removed)).toEqual([{ path: 'nodes', message: "'Unplanned › Jam › Pocket jam' (pocket-jam) was removed: retire it instead — stops and scrap that have it keep it" }]);
    const retired: ReasonTree = structuredClone(before);
    retired.nodes[1].children![0].children![0].retired = true;
    expect(checkNewVersion(before, retired)).toEqual([]);
    expect(leafOf(retired, 'pocket-jam')).toMatchObject({ retired: true, label: 'Pocket jam' });
    expect(activeLeaves(retired).some((l) => l.id === 'pocket-jam')).toBe(false);
    // retiring a group retires what is under it
    const group: ReasonTree = structuredClone(before);
    group.nodes[1].children![0].retired = true;
    expect(leafOf(group, 'sealer-jam')!.retired).toBe(true);
    expect(describeTreeChange(before, retired)).toEqual(['retired Unplanned › Jam › Pocket jam']);
    const edited: ReasonTree = structuredClone(before);
    edited.nodes[1].children![1].children!.push({ id: 'label-roll', label: 'Label roll change', category: 'setup' });
    edited.nodes[1].children![0].children![1].label = 'Sealing jaw jam';
    edited.nodes[1].children![0].children![2].category = 'minorStop';
    expect(describeTreeChange(before, edited)).toEqual([
      'renamed Unplanned › Jam › Sealer jam → Sealing jaw jam',
      'category of Unplanned › Jam › Feeder jam: Unplanned downtime (breakdown) → Minor stop',
      'added Unplanned › Material › Label roll change (Setup / changeover)',
    ]);
  });

  it('finds the leaf a person typed: full path with any separator, a unique leaf label, or says why not', () => {
    const tree = defaultReasonTree('pouching');
    for (const typed of ['Unplanned › Jam › Pocket jam', 'unplanned > jam > pocket JAM', 'Unplanned/Jam/Pocket jam', 'Pocket jam', 'pocket-jam']) {
      expect(findLeafByPath(tree, typed)).toEqual({ leaf: expect.objectContaining({ id: 'pocket-jam' }) });
    }
    expect(findLeafByPath(tree, 'Jamm', 'Pouching – iTrak')).toEqual({ error: "'Jamm' is not a reason of Pouching – iTrak" });
    const twice: ReasonTree = structuredClone(tree);
    twice.nodes[0].children!.push({ id: 'other-jam', label: 'Other', children: [{ id: 'pocket-jam-2', label: 'Pocket jam', category: 'breakdown' }] });
    const ambiguous = findLeafByPath(twice, 'pocket jam');
    expect('error' in ambiguous && ambiguous.error).toMatch(/is the name of 2 reasons .*write the whole path/);
  });
});
