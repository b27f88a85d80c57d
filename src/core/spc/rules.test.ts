import { describe, expect, it } from 'vitest';
import { applyRules, type RuleId } from './rules.js';
import type { Chart } from './types.js';

const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);

/** A chart in σ units: centre 0, limits ±3; points marked afterGap at the given indices. */
function chartOf(values: number[], gapsAt: number[] = []): Chart {
  return {
    kind: 'xbar',
    centre: 0,
    skipped: [],
    points: values.map((value, i) => ({ subgroup: i, at: T0 + i * 60_000, n: 5, value, centre: 0, lcl: -3, ucl: 3, afterGap: gapsAt.includes(i), outside: Math.abs(value) > 3 })),
  };
}
const only = (values: number[], rule: RuleId, gapsAt: number[] = []) => applyRules(chartOf(values, gapsAt), [rule]);

describe('run rules', () => {
  it('rule 1: a point beyond a control limit', () => {
    const found = only([0, 0, 3.5, 0, -3.2], 'we1');
    expect(found.map((v) => [v.indices, v.direction, v.message])).toEqual([
      [[2], 'above', '1 point beyond the upper control limit (3σ)'],
      [[4], 'below', '1 point beyond the lower control limit (3σ)'],
    ]);
    expect(found[0]).toMatchObject({ rule: 'we1', ruleName: 'Western Electric rule 1', instants: [T0 + 120_000], signalIndex: 2 });
    expect(only([0, 3, -3], 'we1')).toEqual([]); // on the limit is not beyond it
  });

  it('WE 2 / Nelson 5: 2 of 3 beyond 2σ on the same side', () => {
    const found = only([0, 2.5, 0.5, 2.5], 'we2');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ indices: [1, 3], signalIndex: 3, direction: 'above', message: '2 of 3 points in a row more than 2σ above the centre line' });
    expect(only([2.5, -2.5, 0, 2.5], 'nelson5')).toEqual([]); // opposite sides do not add up
    expect(only([0, -2.1, -2.2], 'nelson5')[0]).toMatchObject({ indices: [1, 2], direction: 'below', ruleName: 'Nelson rule 5' });
  });

  it('WE 3 / Nelson 6: 4 of 5 beyond 1σ on the same side', () => {
    expect(only([1.5, 1.5, 0, 1.5, 1.5], 'we3')[0]).toMatchObject({ indices: [0, 1, 3, 4], message: '4 of 5 points in a row more than 1σ above the centre line' });
    expect(only([1.5, 1.5, 0, 1.5, 0, 1.5], 'nelson6')).toEqual([]);
  });

  it('WE 4: 8 in a row on one side; a longer run is one growing violation; the centre line breaks it', () => {
    expect(only(Array(7).fill(0.5), 'we4')).toEqual([]);
    const run = only([...Array(10).fill(0.5), -0.5], 'we4');
    expect(run).toHaveLength(1);
    expect(run[0]).toMatchObject({ signalIndex: 7, indices: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], message: '10 points in a row above the centre line' });
    expect(only([...Array(4).fill(-0.5), 0, ...Array(4).fill(-0.5)], 'we4')).toEqual([]);
    expect(only(Array(8).fill(-0.2), 'we4')[0].message).toBe('8 points in a row below the centre line');
  });

  it('Nelson 2: 9 in a row on one side', () => {
    expect(only(Array(8).fill(0.5), 'nelson2')).toEqual([]);
    expect(only(Array(9).fill(0.5), 'nelson2')[0].message).toBe('9 points in a row above the centre line');
  });

  it('Nelson 3: 6 in a row steadily increasing or decreasing; a tie breaks it', () => {
    expect(only([-1, -0.5, 0, 0.5, 1, 1.5], 'nelson3')[0]).toMatchObject({ direction: 'up', indices: [0, 1, 2, 3, 4, 5], message: '6 points in a row steadily increasing' });
    expect(only([2, 1.5, 1, 0.5, 0, -0.5, -1], 'nelson3')[0].message).toBe('7 points in a row steadily decreasing');
    expect(only([-1, -0.5, 0, 0, 0.5, 1], 'nelson3')).toEqual([]);
  });

  it('Nelson 4: 14 in a row alternating up and down', () => {
    const zigzag = Array.from({ length: 14 }, (_, i) => (i % 2 === 0 ? 0.5 : -0.5));
    expect(only(zigzag.slice(0, 13), 'nelson4')).toEqual([]);
    expect(only(zigzag, 'nelson4')[0].message).toBe('14 points in a row alternating up and down');
  });

  it('Nelson 7: 15 in a row within 1σ; Nelson 8: 8 in a row beyond 1σ on either side', () => {
    const hugging = Array.from({ length: 15 }, (_, i) => (i % 3) * 0.3 - 0.3);
    expect(only(hugging.slice(0, 14), 'nelson7')).toEqual([]);
    expect(only(hugging, 'nelson7')[0].message).toBe('15 points in a row within 1σ of the centre line');
    const mixture = Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? 1.5 : -1.5));
    expect(only(mixture, 'nelson8')[0]).toMatchObject({ direction: 'either', message: '8 points in a row more than 1σ from the centre line (either side)' });
    expect(only([...mixture.slice(0, 7), 0.5], 'nelson8')).toEqual([]);
  });

  it('no window reaches across a gap', () => {
    expect(only(Array(8).fill(0.5), 'we4', [4])).toEqual([]);
    expect(only([2.5, 0, 2.5], 'we2', [2])).toEqual([]);
    expect(only(Array(8).fill(0.5), 'we4', [0])).toHaveLength(1); // a gap before the first point changes nothing
  });

  it('restartAfterSignal starts every window afresh after a signal (the ARL setting)', () => {
    const points = chartOf([2.5, 2.5, 2.5]);
    expect(applyRules(points, ['we2']).map((v) => v.indices)).toEqual([[0, 1, 2]]);
    expect(applyRules(points, ['we2'], { restartAfterSignal: true }).map((v) => v.indices)).toEqual([[0, 1]]);
  });

  it('rule sets by name; asymmetric zones on R/S charts; unknown rules refused', () => {
    const values = [0, 0, 3.5, ...Array(9).fill(0.5)];
    expect(applyRules(chartOf(values), 'western-electric').map((v) => v.rule)).toEqual(['we1', 'we4']);
    expect(applyRules(chartOf(values), 'nelson').map((v) => v.rule)).toEqual(['nelson1', 'nelson2']);
    expect(applyRules(chartOf(values), 'none')).toEqual([]);
    // centre 2, UCL 5 (1σ = 1 above), LCL 0 (1σ = 2/3 below): 4.5 is 2.5σ above, 4.2 is 2.2σ above; 0.5 is 2.25σ below
    const range: Chart = { kind: 'range', centre: 2, skipped: [], points: [4.5, 4.2, 0.5, 0.6].map((value, i) => ({ subgroup: i, at: T0 + i, n: 5, value, centre: 2, lcl: 0, ucl: 5, afterGap: false, outside: false })) };
    expect(applyRules(range, ['we2']).map((v) => [v.direction, v.indices])).toEqual([['above', [0, 1]], ['below', [2, 3]]]);
    expect(() => applyRules(chartOf([0]), ['we9' as RuleId])).toThrow(/unknown rule 'we9'/);
  });
});
