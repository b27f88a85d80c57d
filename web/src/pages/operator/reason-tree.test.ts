import { describe, expect, it } from 'vitest';
import { clampSplit, drillDown, durationLabel, instantOfClock, MIN_PART_MS, offeredLeaves, offeredNodes, splitParts, type ReasonNode } from './reason-tree.js';

const tree: ReasonNode[] = [
  {
    id: 'unplanned',
    label: 'Unplanned',
    children: [
      { id: 'jam', label: 'Jam', children: [{ id: 'pocket', label: 'Pocket jam', category: 'breakdown' }, { id: 'old-jam', label: 'Old jam', category: 'breakdown', retired: true }] },
      { id: 'film', label: 'Film break', category: 'breakdown' },
    ],
  },
  { id: 'planned', label: 'Planned', children: [{ id: 'break', label: 'Break', category: 'plannedDowntime' }] },
  { id: 'quality', label: 'Quality', children: [{ id: 'startup', label: 'Start-up rejects', category: 'startupReject' }, { id: 'seal', label: 'Bad seal', category: 'productionReject' }] },
  { id: 'gone', label: 'Gone', retired: true, children: [{ id: 'x', label: 'X', category: 'setup' }] },
];

describe('the reason tree for the picker', () => {
  it('offers stop reasons without reject categories and without retired nodes', () => {
    const offered = offeredNodes(tree, 'stop');
    expect(offered.map((n) => n.id)).toEqual(['unplanned', 'planned']);
    expect(offered[0].children?.[0].children?.map((n) => n.id)).toEqual(['pocket']);
    expect(offeredLeaves(tree, 'stop').map((l) => l.label)).toEqual(['Unplanned › Jam › Pocket jam', 'Unplanned › Film break', 'Planned › Break']);
  });

  it('offers only the two reject categories for scrap', () => {
    expect(offeredLeaves(tree, 'scrap')).toEqual([
      { id: 'startup', label: 'Quality › Start-up rejects' },
      { id: 'seal', label: 'Quality › Bad seal' },
    ]);
  });

  it('drills down by branch ids and stops at an id that is not there', () => {
    const offered = offeredNodes(tree, 'stop');
    expect(drillDown(offered, []).choices.map((n) => n.id)).toEqual(['unplanned', 'planned']);
    const jam = drillDown(offered, ['unplanned', 'jam']);
    expect(jam.crumbs.map((n) => n.label)).toEqual(['Unplanned', 'Jam']);
    expect(jam.choices.map((n) => n.id)).toEqual(['pocket']);
    // a leaf id or an unknown id is not a branch to stand in
    expect(drillDown(offered, ['unplanned', 'film']).crumbs.map((n) => n.id)).toEqual(['unplanned']);
    expect(drillDown(offered, ['quality']).crumbs).toEqual([]);
  });
});

describe('splitting a stop', () => {
  const start = Date.UTC(2022, 9, 13, 14, 0, 0);
  const end = start + 10 * 60_000;
  it('keeps a minute on both sides and gives both parts', () => {
    expect(clampSplit(start, end, start + 1000)).toBe(start + MIN_PART_MS);
    expect(clampSplit(start, end, end)).toBe(end - MIN_PART_MS);
    expect(splitParts(start, end, start + 4 * 60_000 + 250)).toEqual({ at: start + 240_000, firstSeconds: 240, secondSeconds: 360 });
  });
  it('splits a stop shorter than two minutes in the middle', () => {
    expect(splitParts(start, start + 90_000, start)).toEqual({ at: start + 45_000, firstSeconds: 45, secondSeconds: 45 });
  });
  it('reads a time of day inside the stop, also across midnight', () => {
    const midnightUtc = (ms: number) => Math.floor(ms / 86_400_000) * 86_400_000;
    expect(instantOfClock('14:04', start, end, midnightUtc)).toBe(start + 4 * 60_000);
    expect(instantOfClock('14:20', start, end, midnightUtc)).toBeNull();
    expect(instantOfClock('nonsense', start, end, midnightUtc)).toBeNull();
    expect(instantOfClock('1404', start, end, midnightUtc)).toBe(start + 4 * 60_000);
    expect(instantOfClock('14:04:30', start, end, midnightUtc)).toBe(start + 4 * 60_000 + 30_000);
    expect(instantOfClock('14', start, end, midnightUtc)).toBeNull();
    const late = Date.UTC(2022, 9, 13, 23, 50);
    expect(instantOfClock('00:05', late, late + 30 * 60_000, midnightUtc)).toBe(Date.UTC(2022, 9, 14, 0, 5));
  });
});

describe('durations', () => {
  it('reads at a glance', () => {
    expect(durationLabel(45)).toBe('45 s');
    expect(durationLabel(260)).toBe('4 min 20 s');
    expect(durationLabel(840)).toBe('14 min');
    expect(durationLabel(3900)).toBe('1 h 05 min');
  });
});

describe('labels and paths of a leaf', async () => {
  const { pathLabelOf, branchPathOf } = await import('./reason-tree.js');
  it('finds retired leaves too', () => {
    expect(pathLabelOf(tree, 'old-jam')).toBe('Unplanned › Jam › Old jam');
    expect(branchPathOf(tree, 'pocket')).toEqual(['unplanned', 'jam']);
    expect(pathLabelOf(tree, 'jam')).toBeNull();
    expect(branchPathOf(tree, 'nope')).toBeNull();
  });
});
