import { describe, expect, it } from 'vitest';
import { unitCounts, withUnitCounts } from './units.js';

describe('produced and good units', () => {
  it('produced counts each unit once (reworks out); good also leaves out the rejects', () => {
    expect(unitCounts({ parts: 1000, reworks: 12, rejects: 30 })).toEqual({ produced: 988, good: 958 });
    expect(unitCounts({ parts: 1000, reworks: 12 })).toEqual({ produced: 988, good: 988 });
    expect(unitCounts({ parts: 0, reworks: 0, rejects: 0 })).toEqual({ produced: 0, good: 0 });
  });

  it('adds both to a result and keeps its fields', () => {
    expect(withUnitCounts({ machine: 'line7', parts: 10, reworks: 1, rejects: 2 })).toEqual({ machine: 'line7', parts: 10, reworks: 1, rejects: 2, produced: 9, good: 7 });
  });
});
