// The number reading every form uses (NumberReader → src/core/numbers), as the forms call it.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NumberReader, numberPreview, textOf, validated } from './forms.js';

describe('NumberReader (what the work-order form saves)', () => {
  it('reads 30,000 as thirty thousand, not 30', () => {
    const numbers = new NumberReader('en-US');
    expect(numbers.read('quantity', '30,000', { integer: true })).toBe(30000);
    expect(numbers.errors).toEqual({});
  });

  it('keeps the message of a number that could be read two ways, under its field', () => {
    const numbers = new NumberReader('en-US');
    expect(numbers.read('quantity', '1,5', { integer: true })).toBeUndefined();
    expect(numbers.read('routing.0.ratePerHour', '1,5')).toBeUndefined();
    expect(numbers.errors).toEqual({
      quantity: 'unclear: whole units only — type 1,500 for a whole number',
      'routing.0.ratePerHour': 'unclear: type 1.5 for a decimal or 1,500 for a whole number',
    });
  });

  it('refuses a form with an unreadable number even when the schema alone would accept it', () => {
    const schema = z.object({ quantity: z.number().int().positive(), priority: z.number().int().default(0) });
    const numbers = new NumberReader('en-US');
    const value = { quantity: numbers.read('quantity', '12,500', { integer: true }), priority: numbers.read('priority', '2.5', { integer: true }) };
    let errors = {};
    expect(validated(schema, value, (e) => (errors = e), numbers.errors)).toBeUndefined();
    expect(errors).toEqual({ priority: 'whole units only (no decimals)' });
    expect(validated(schema, { quantity: 12_500 }, (e) => (errors = e), {})).toEqual({ quantity: 12_500, priority: 0 });
  });

  it('shows the value as it will be saved, and writes stored values back in the locale', () => {
    expect(numberPreview('30,000', 'en-US', { integer: true, unit: 'pieces' })).toBe('Will be saved as 30,000 pieces');
    expect(numberPreview('1,5', 'en-US')).toBeUndefined();
    expect(numberPreview('30.000', 'de-DE', { integer: true })).toBe('Will be saved as 30.000');
    expect(textOf(1234.5, 'en-US')).toBe('1234.5');
    expect(textOf(1234.5, 'de-DE')).toBe('1234,5');
    expect(textOf(null)).toBe('');
  });
});
