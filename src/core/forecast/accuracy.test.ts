import { describe, expect, it } from 'vitest';
import { accuracyReport } from './accuracy.js';

const MIN = 60_000;

describe('accuracy report', () => {
  it('averages each method\'s absolute error per machine and product, in minutes', () => {
    const rows = accuracyReport([
      { machine: 'line8', product: 'strep', lot: 'A', actualEnd: 1000 * MIN, forecasts: [
        { standardEnd: 940 * MIN, observedEnd: null, forecastEnd: 1010 * MIN },
        { standardEnd: 1030 * MIN, observedEnd: 1100 * MIN, forecastEnd: 995 * MIN },
      ] },
      { machine: 'line8', product: 'strep', lot: 'B', actualEnd: 0, forecasts: [{ standardEnd: 0, observedEnd: 20 * MIN, forecastEnd: -6 * MIN }] },
      { machine: 'line7', product: 'flu', lot: 'C', actualEnd: 0, forecasts: [{ standardEnd: 90 * MIN, observedEnd: null, forecastEnd: 30 * MIN }] },
      { machine: 'line7', product: 'flu', lot: 'D', actualEnd: 0, forecasts: [] },
    ]);
    expect(rows).toEqual([
      // C only (D has no forecasts); observed never answered
      { machine: 'line7', product: 'flu', lots: 1, forecasts: 1, standardMinutes: 90, observedMinutes: null, recommendedMinutes: 30 },
      // standard (60 + 30 + 0) / 3 = 30; observed (100 + 20) / 2 = 60; recommended (10 + 5 + 6) / 3 = 7
      { machine: 'line8', product: 'strep', lots: 2, forecasts: 3, standardMinutes: 30, observedMinutes: 60, recommendedMinutes: 7 },
    ]);
  });
});
