import { describe, expect, it } from 'vitest';
import { addChild, addSibling, errorsByNode, groupPaths, labelsTo, moveNode, movedPath, newReasonId, nodeAt, updateNode, type ReasonNode } from './reason-tree-edit.js';

const tree = (): ReasonNode[] => [
  { id: 'planned', label: 'Planned', children: [{ id: 'break', label: 'Break', category: 'plannedDowntime' }, { id: 'cleaning', label: 'Cleaning', category: 'plannedDowntime' }] },
  { id: 'unplanned', label: 'Unplanned', children: [{ id: 'jam', label: 'Jam', children: [{ id: 'pocket-jam', label: 'Pocket jam', category: 'breakdown' }] }] },
];

describe('reason tree editing', () => {
  it('addresses nodes by index path', () => {
    expect(nodeAt(tree(), [1, 0, 0])?.id).toBe('pocket-jam');
    expect(nodeAt(tree(), [1, 5])).toBeUndefined();
    expect(labelsTo(tree(), [1, 0, 0])).toEqual(['Unplanned', 'Jam', 'Pocket jam']);
  });

  it('changes a copy: rename, add inside and after, move', () => {
    const before = tree();
    const renamed = updateNode(before, [0, 1], (n) => ({ ...n, label: 'Planned cleaning' }));
    expect(nodeAt(renamed, [0, 1])?.label).toBe('Planned cleaning');
    expect(nodeAt(before, [0, 1])?.label).toBe('Cleaning');
    // the untouched branch is shared, not copied
    expect(renamed[1]).toBe(before[1]);

    const inside = addChild(before, [1, 0], { id: 'sealer-jam', label: 'Sealer jam', category: 'breakdown' });
    expect(nodeAt(inside, [1, 0])?.children?.map((c) => c.id)).toEqual(['pocket-jam', 'sealer-jam']);
    const after = addSibling(before, [0, 0], { id: 'meeting', label: 'Meeting', category: 'plannedDowntime' });
    expect(nodeAt(after, [0])?.children?.map((c) => c.id)).toEqual(['break', 'meeting', 'cleaning']);
    expect(addSibling(before, [], { id: 'quality', label: 'Quality', children: [] }).map((n) => n.id)).toEqual(['planned', 'unplanned', 'quality']);

    const moved = moveNode(before, [0, 1], -1);
    expect(nodeAt(moved, [0])?.children?.map((c) => c.id)).toEqual(['cleaning', 'break']);
    expect(movedPath(before, [0, 1], -1)).toEqual([0, 0]);
    // at the end nothing moves
    expect(moveNode(before, [1], 1).map((n) => n.id)).toEqual(['planned', 'unplanned']);
    expect(movedPath(before, [1], 1)).toEqual([1]);
  });

  it('a leaf given a child becomes a group without a category', () => {
    const grown = addChild(tree(), [0, 0], { id: 'lunch', label: 'Lunch', category: 'plannedDowntime' });
    expect(nodeAt(grown, [0, 0])).toEqual({ id: 'break', label: 'Break', children: [{ id: 'lunch', label: 'Lunch', category: 'plannedDowntime' }] });
  });

  it('makes ids from labels, unique in the whole tree', () => {
    expect(newReasonId(tree(), 'Film splice (reel 2)')).toBe('film-splice-reel-2');
    expect(newReasonId(tree(), 'Pocket jam')).toBe('pocket-jam-2');
    expect(newReasonId(tree(), 'Übergabe')).toBe('ubergabe');
    expect(newReasonId(tree(), '!!!')).toBe('reason');
  });

  it('sorts the server\'s field errors to the nodes they name', () => {
    const sorted = errorsByNode({
      'tree.nodes.1.children.0.children.0.label': "'Pocket jam' is there twice at the same level",
      'tree.nodes.0.category': "'Planned' groups other reasons",
      'tree.nodes': 'a tree needs at least one reason',
    });
    expect([...sorted.byNode]).toEqual([
      ['1.0.0', [{ field: 'label', message: "'Pocket jam' is there twice at the same level" }]],
      ['0', [{ field: 'category', message: "'Planned' groups other reasons" }]],
    ]);
    expect(sorted.general).toEqual(['a tree needs at least one reason']);
  });

  it('lists the groups for "expand all"', () => {
    expect(groupPaths(tree())).toEqual(['0', '1', '1.0']);
  });
});
