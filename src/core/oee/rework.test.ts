import { describe, expect, it } from 'vitest';
import { PartRegistry, identifiesStrip } from './rework.js';

describe('PartRegistry', () => {
  it('flags the second sighting of a (lot, serial) and only that', () => {
    const registry = new PartRegistry();
    expect(registry.isRework('159070', '33802')).toBe(false);
    expect(registry.isRework('159070', '33803')).toBe(false);
    expect(registry.isRework('159070', '33802')).toBe(true);
    expect(registry.isRework('159070', '33802')).toBe(true);
    expect(registry.isRework('159071', '33802')).toBe(false);
    // back to the first lot after another: the lot cache must not leak serials across lots
    expect(registry.isRework('159070', '33803')).toBe(true);
    expect(registry.isRework('159071', '33803')).toBe(false);
  });

  it('treats a zero-padded serial as the same strip, but a zero-padded lot as another lot', () => {
    const registry = new PartRegistry();
    expect(registry.isRework('159053', '44326')).toBe(false);
    expect(registry.isRework('159053', '044326')).toBe(true);
    expect(registry.isRework('0159053', '044326')).toBe(false);
  });

  it('grows the bitset for large serials and falls back to exact text for others', () => {
    const registry = new PartRegistry();
    for (const serial of ['16777215', '5000000', '31', '32', 'A-17', '99999999999', '16777216']) {
      expect(registry.isRework('1', serial), serial).toBe(false);
    }
    for (const serial of ['16777215', '5000000', '31', '32', 'A-17', '99999999999', '16777216']) {
      expect(registry.isRework('1', serial), serial).toBe(true);
    }
    expect(registry.isRework('1', '33')).toBe(false);
    expect(registry.isRework('1', 'a-17')).toBe(false);
    // above the bitset range serials are text: padding is then significant
    expect(registry.isRework('1', '016777216')).toBe(false);
  });

  it('never calls an unreadable serial a rework', () => {
    const registry = new PartRegistry();
    for (const serial of ['0', '000000', '', '0', '000000']) expect(registry.isRework('159070', serial)).toBe(false);
    expect(identifiesStrip('000100')).toBe(true);
    expect(identifiesStrip('000')).toBe(false);
  });
});
