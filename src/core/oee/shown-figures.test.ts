import { describe, expect, it } from 'vitest';
import { shownFigures } from './shown-figures.js';

describe('shownFigures: one rule for what cards and analytics show', () => {
  it('caps performance above 100 % and shows OEE as A × 100 % × Q, flagged', () => {
    const shown = shownFigures({ parts: 5000, availability: 0.8, performance: 1.41, quality: 0.99, oee: 0.8 * 1.41 * 0.99 });
    expect(shown).toEqual({ state: 'figures', availability: 0.8, performance: 1, quality: 0.99, oee: 0.792, performanceCapped: true });
  });

  it('leaves figures within 0–100 % as they are', () => {
    const ratios = { availability: 0.802, performance: 0.744, quality: 0.998, oee: 0.595 };
    expect(shownFigures({ parts: 5000, ...ratios })).toEqual({ state: 'figures', ...ratios, performanceCapped: false });
  });

  it('a window without parts is "no production", never "0 %, A 100 %, P 0 %"; an undefined OEE is "not measurable"', () => {
    expect(shownFigures({ parts: 0, availability: 1, performance: 0, quality: null, oee: 0 }).state).toBe('no-production');
    expect(shownFigures({ parts: 1, availability: null, performance: null, quality: 1, oee: null }).state).toBe('not-measurable');
  });
});
