import { describe, expect, it } from 'vitest';
import { formatNumber, numberConventions, readNumber } from './numbers.js';

const value = (text: string, locale = 'en-US', integer = false) => {
  const reading = readNumber(text, locale, { integer });
  if (reading.kind !== 'number') throw new Error(`'${text}' in ${locale} was not read as a number: ${JSON.stringify(reading)}`);
  return reading.value;
};
const problem = (text: string, locale = 'en-US', integer = false) => {
  const reading = readNumber(text, locale, { integer });
  if (reading.kind !== 'invalid') throw new Error(`'${text}' in ${locale} should be refused, was read as ${JSON.stringify(reading)}`);
  return reading.message;
};

describe('numberConventions', () => {
  it('learns the separators from Intl', () => {
    expect(numberConventions('en-US')).toMatchObject({ group: ',', decimal: '.', primaryGroup: 3, secondaryGroup: 3 });
    expect(numberConventions('de-DE')).toMatchObject({ group: '.', decimal: ',' });
    expect(numberConventions('fr-FR').decimal).toBe(',');
    expect(numberConventions('fr-FR').group).toMatch(/^[\u00a0\u202f ]$/);
    expect(numberConventions('en-IN')).toMatchObject({ group: ',', primaryGroup: 3, secondaryGroup: 2 });
  });
});

describe('readNumber in en-US (the demo plant)', () => {
  it('reads thousands separators in their places — 30,000 is thirty thousand, not 30', () => {
    expect(value('30,000', 'en-US', true)).toBe(30_000);
    expect(value('1,234,567.5')).toBe(1_234_567.5);
    expect(value('200000', 'en-US', true)).toBe(200_000);
    expect(value(' 12,500 ', 'en-US', true)).toBe(12_500);
    expect(value('30 000', 'en-US', true)).toBe(30_000);
    expect(value('30\u202f000', 'en-US', true)).toBe(30_000);
    expect(value('30\u00a0000', 'en-US', true)).toBe(30_000);
    expect(value('1.5')).toBe(1.5);
    expect(value('.5')).toBe(0.5);
    expect(value('-2.25')).toBe(-2.25);
    expect(value('+7', 'en-US', true)).toBe(7);
    expect(value('0')).toBe(0);
  });

  it('refuses a comma that could be a decimal point, with both readings spelled out', () => {
    expect(problem('1,5')).toBe('unclear: type 1.5 for a decimal or 1,500 for a whole number');
    expect(problem('1,50')).toBe('unclear: type 1.50 for a decimal or 1,500 for a whole number');
    expect(problem('12,5', 'en-US', true)).toBe('unclear: whole units only — type 12,500 for a whole number');
    expect(problem('1,5000')).toBe('unclear: type 1.5000 for a decimal or 15,000 for a whole number');
  });

  it('refuses decimals in whole-unit fields, and separators in the wrong place or in another style', () => {
    expect(problem('2.5', 'en-US', true)).toBe('whole units only (no decimals)');
    expect(problem('30.000', 'en-US', true)).toBe('whole units only (no decimals) — did you mean 30,000?');
    expect(value('30.000')).toBe(30);
    expect(problem('1,234,56')).toBe('check the thousands separators: groups of three digits, e.g. 1,234,567');
    expect(problem('12,34,567')).toBe('check the thousands separators: groups of three digits, e.g. 1,234,567');
    expect(problem('30, 000')).toBe('check the thousands separators: groups of three digits, e.g. 1,234,567');
    expect(problem('1.234,5')).toBe('write it as 1,234.5 (this site writes numbers like 1,234.5)');
    expect(problem('1.5.2')).toBe('enter a number, e.g. 1,234.5');
  });

  it('refuses what is not a number at all', () => {
    for (const text of ['ten', '1e5', '12 kg', '0x10', '.', '-', '١٢']) expect(problem(text)).toBe('enter a number, e.g. 1,234.5');
    expect(problem('abc', 'en-US', true)).toBe('enter a number, e.g. 30,000');
    expect(readNumber('   ', 'en-US')).toEqual({ kind: 'empty' });
  });
});

describe('readNumber in other locales', () => {
  it('reads de-DE: point groups, comma decimals, and refuses a lone point that could be either', () => {
    expect(value('30.000', 'de-DE', true)).toBe(30_000);
    expect(value('1.234.567,5', 'de-DE')).toBe(1_234_567.5);
    expect(value('1,5', 'de-DE')).toBe(1.5);
    expect(problem('1.5', 'de-DE')).toBe('unclear: type 1,5 for a decimal or 1.500 for a whole number');
    expect(problem('1,234.5', 'de-DE')).toBe('write it as 1.234,5 (this site writes numbers like 1.234,5)');
  });

  it('reads fr-FR: space groups (narrow no-break space too) and comma decimals', () => {
    expect(value('30 000', 'fr-FR', true)).toBe(30_000);
    expect(value('30\u202f000', 'fr-FR', true)).toBe(30_000);
    expect(value('2,75', 'fr-FR')).toBe(2.75);
    expect(problem('30.000', 'fr-FR')).toBe(`unclear: type 30,000 for a decimal or ${formatNumber(30000, 'fr-FR')} for a whole number`);
  });

  it('reads en-IN lakh grouping as well as plain three-digit groups', () => {
    expect(value('12,34,567', 'en-IN', true)).toBe(1_234_567);
    expect(value('1,234,567', 'en-IN', true)).toBe(1_234_567);
  });
});
