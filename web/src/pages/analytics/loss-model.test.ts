import { describe, expect, it } from 'vitest';
import { paretoRows, waterfallBars, type WaterfallStep } from './loss-model.js';

const total = (key: string, hours: number): WaterfallStep => ({ key, label: key, kind: 'total', category: null, seconds: hours * 3600 });
const loss = (key: string, hours: number, category: WaterfallStep['category'] = null): WaterfallStep => ({ key, label: key, kind: 'loss', category, seconds: hours * 3600 });

describe('waterfallBars', () => {
  // a 24 h day: 16 h not scheduled, 0.5 h break → 7.5 h loading; 0.25 h setup, 0.75 h jam → 6.5 h
  // operating; 0.5 h minor stops and 1 h slower than ideal → 5 h net; 0.1 h startup and 0.4 h
  // production rejects → 4.5 h fully productive
  const steps = [
    total('calendar', 24), loss('not-scheduled', 16, 'notScheduled'), loss('planned-downtime', 0.5, 'plannedDowntime'),
    total('loading', 7.5), loss('setup', 0.25, 'setup'), loss('breakdown', 0.75, 'breakdown'),
    total('operating', 6.5), loss('minor-stops', 0.5, 'minorStop'), loss('reduced-speed', 1, 'reducedSpeed'),
    total('net-operating', 5), loss('startup-rejects', 0.1, 'startupReject'), loss('production-rejects', 0.4, 'productionReject'),
    total('fully-productive', 4.5),
  ];

  it('stands totals on the axis and floats each loss down from the level before it', () => {
    const bars = waterfallBars(steps);
    const shape = bars.map((b) => [b.key, Math.round(b.baseHours * 100) / 100, Math.round(b.heightHours * 100) / 100]);
    expect(shape).toEqual([
      ['calendar', 0, 24],
      ['not-scheduled', 8, 16],
      ['planned-downtime', 7.5, 0.5],
      ['loading', 0, 7.5],
      ['setup', 7.25, 0.25],
      ['breakdown', 6.5, 0.75],
      ['operating', 0, 6.5],
      ['minor-stops', 6, 0.5],
      ['reduced-speed', 5, 1],
      ['net-operating', 0, 5],
      ['startup-rejects', 4.9, 0.1],
      ['production-rejects', 4.5, 0.4],
      ['fully-productive', 0, 4.5],
    ]);
  });

  it('colours a loss by the block it sits in, the last total as the result', () => {
    expect(waterfallBars(steps).map((b) => b.block)).toEqual([
      'total', 'planned', 'planned', 'total', 'availability', 'availability', 'total', 'performance', 'performance', 'total', 'quality', 'quality', 'final',
    ]);
    // a minor stop an ISO profile counts as availability loss is red, not amber: where it counts
    const isoMinor = waterfallBars([total('loading', 8), loss('availability-minorStop', 1, 'minorStop'), total('operating', 7)]);
    expect(isoMinor[1].block).toBe('availability');
  });

  it('draws time won back (faster than the ideal rate) as a gain rising from the level', () => {
    const bars = waterfallBars([total('operating', 6), loss('minor-stops', 0.5), loss('reduced-speed', -0.25), total('net-operating', 5.75)]);
    expect(bars[2]).toMatchObject({ gain: true, baseHours: 5.5, heightHours: 0.25 });
    expect(bars[2].seconds).toBe(-900);
  });
});

describe('paretoRows', () => {
  it('sorts largest first and gives each its share and the running share of the level', () => {
    const rows = paretoRows([
      { key: 'setup', label: 'Setup', seconds: 600, count: 1 },
      { key: 'breakdown', label: 'Breakdown', seconds: 1800, count: 4 },
      { key: 'minorStop', label: 'Minor stop', seconds: 600, count: 90 },
      { key: 'none', label: 'Nothing', seconds: 0, count: 0 },
    ]);
    expect(rows.map((r) => [r.key, r.share, r.cumulativeShare])).toEqual([
      ['breakdown', 0.6, 0.6],
      // equal time: by label
      ['minorStop', 0.2, 0.8],
      ['setup', 0.2, 1],
    ]);
  });

  it('is empty when nothing lost time', () => {
    expect(paretoRows([{ key: 'a', label: 'A', seconds: 0, count: 0 }])).toEqual([]);
  });
});
