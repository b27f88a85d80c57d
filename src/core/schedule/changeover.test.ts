import { describe, expect, it } from 'vitest';
import { ChangeoverMatrix } from './changeover.js';
import type { ChangeoverRule } from './types.js';

const rule = (from: string, to: string, minutes: number, group?: string): ChangeoverRule => ({ from, to, minutes, ...(group ? { group } : {}) });

describe('changeover matrix: the most specific rule wins', () => {
  // every level present, each with its own minutes, so the answer tells which rule applied
  const matrix = new ChangeoverMatrix([
    rule('*', '*', 10, 'pouch'),
    rule('*', 'strep', 20, 'pouch'),
    rule('flu', '*', 30, 'pouch'),
    rule('flu', 'strep', 40, 'pouch'),
  ]);

  it('exact pair before from → *, * → to and * → *', () => {
    expect(matrix.minutes('pouch', 'flu', 'strep')).toBe(40);
  });

  it('from → * before * → to and * → *', () => {
    expect(matrix.minutes('pouch', 'flu', 'covid')).toBe(30);
  });

  it('* → to before * → *', () => {
    expect(matrix.minutes('pouch', 'covid', 'strep')).toBe(20);
  });

  it('* → * when nothing more specific matches', () => {
    expect(matrix.minutes('pouch', 'covid', 'rsv')).toBe(10);
  });

  it('the order rules are listed in does not matter', () => {
    const reversed = new ChangeoverMatrix([rule('flu', 'strep', 40, 'pouch'), rule('flu', '*', 30, 'pouch'), rule('*', 'strep', 20, 'pouch'), rule('*', '*', 10, 'pouch')]);
    for (const [from, to] of [['flu', 'strep'], ['flu', 'covid'], ['covid', 'strep'], ['covid', 'rsv']]) {
      expect(reversed.minutes('pouch', from, to)).toBe(matrix.minutes('pouch', from, to));
    }
  });

  it('a pair that only partly matches falls to the next level, not to 0', () => {
    // strep → flu: no exact pair, from-* is for flu only, * → to is for strep only
    expect(matrix.minutes('pouch', 'strep', 'flu')).toBe(10);
  });

  it('no rule at all: 0', () => {
    expect(new ChangeoverMatrix([rule('flu', 'strep', 40, 'pouch')]).minutes('pouch', 'strep', 'flu')).toBe(0);
    expect(new ChangeoverMatrix().minutes('pouch', 'flu', 'strep')).toBe(0);
  });
});

describe('changeover matrix: same family', () => {
  it('needs none, whatever the wildcards say', () => {
    const matrix = new ChangeoverMatrix([rule('*', '*', 10, 'pouch'), rule('flu', '*', 30, 'pouch'), rule('*', 'flu', 20, 'pouch')]);
    expect(matrix.minutes('pouch', 'flu', 'flu')).toBe(0);
  });

  it('takes an exact rule for the family to itself (a cleaning between two lots)', () => {
    const matrix = new ChangeoverMatrix([rule('*', '*', 10, 'pouch'), rule('flu', 'flu', 25, 'pouch')]);
    expect(matrix.minutes('pouch', 'flu', 'flu')).toBe(25);
    expect(matrix.minutes('pouch', 'strep', 'strep')).toBe(0);
  });

  it('an exact rule of 0 minutes is a rule: it beats the wildcards', () => {
    const matrix = new ChangeoverMatrix([rule('*', '*', 10, 'pouch'), rule('flu', 'strep', 0, 'pouch')]);
    expect(matrix.minutes('pouch', 'flu', 'strep')).toBe(0);
    expect(matrix.minutes('pouch', 'strep', 'flu')).toBe(10);
  });
});

describe('changeover matrix: process groups', () => {
  it("a group's rules apply to that group only", () => {
    const matrix = new ChangeoverMatrix([rule('flu', 'strep', 40, 'pouch')]);
    expect(matrix.minutes('pouch', 'flu', 'strep')).toBe(40);
    expect(matrix.minutes('kit', 'flu', 'strep')).toBe(0);
  });

  it('rules without a group apply to every group', () => {
    const matrix = new ChangeoverMatrix([rule('flu', 'strep', 40), rule('*', '*', 5)]);
    expect(matrix.minutes('pouch', 'flu', 'strep')).toBe(40);
    expect(matrix.minutes('kit', 'flu', 'strep')).toBe(40);
    expect(matrix.minutes('kit', 'strep', 'flu')).toBe(5);
  });

  it("a group's own rule comes before the same rule without a group", () => {
    const matrix = new ChangeoverMatrix([rule('flu', 'strep', 99), rule('flu', 'strep', 40, 'pouch'), rule('*', '*', 50), rule('*', '*', 15, 'pouch')]);
    expect(matrix.minutes('pouch', 'flu', 'strep')).toBe(40);
    expect(matrix.minutes('pouch', 'covid', 'rsv')).toBe(15);
    expect(matrix.minutes('kit', 'flu', 'strep')).toBe(99);
    expect(matrix.minutes('kit', 'covid', 'rsv')).toBe(50);
  });

  it("a group's wildcards come before every-group wildcards, but an every-group exact pair before a group's wildcards", () => {
    const matrix = new ChangeoverMatrix([rule('*', '*', 15, 'pouch'), rule('flu', '*', 70), rule('flu', 'strep', 90)]);
    // group * → * beats the every-group from → *
    expect(matrix.minutes('pouch', 'flu', 'covid')).toBe(15);
    // the every-group exact pair beats the group's * → *
    expect(matrix.minutes('pouch', 'flu', 'strep')).toBe(90);
    // a group without rules of its own uses the every-group ones
    expect(matrix.minutes('kit', 'flu', 'covid')).toBe(70);
  });
});

describe('changeover matrix: unknown last family and bad minutes', () => {
  it('an unknown last family (null) needs no changeover, even with * → *', () => {
    const matrix = new ChangeoverMatrix([rule('*', '*', 10, 'pouch'), rule('*', 'strep', 20, 'pouch')]);
    expect(matrix.minutes('pouch', null, 'strep')).toBe(0);
    expect(matrix.minutes('pouch', null, 'flu')).toBe(0);
  });

  it('refuses negative or non-finite minutes', () => {
    expect(() => new ChangeoverMatrix([rule('flu', 'strep', -5, 'pouch')])).toThrow(RangeError);
    expect(() => new ChangeoverMatrix([rule('flu', 'strep', Number.NaN)])).toThrow(RangeError);
    expect(() => new ChangeoverMatrix([rule('flu', 'strep', Number.POSITIVE_INFINITY)])).toThrow(RangeError);
  });
});
