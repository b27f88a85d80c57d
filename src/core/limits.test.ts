import { describe, expect, it } from 'vitest';
import { LONE_SURROGATE_MESSAGE, NUL_MESSAGE, unstorableText, unstorableTextFields } from './limits.js';

describe('text a database can store as sent', () => {
  it('accepts ordinary text and whole surrogate pairs', () => {
    for (const text of ['', 'plain', 'ü – ß', '😀 pair', 'tab\tline\n']) expect(unstorableText(text)).toBeNull();
  });
  it('names NUL and lone surrogates, high or low, at either end', () => {
    expect(unstorableText('a\u0000b')).toBe(NUL_MESSAGE);
    for (const text of ['\uD800', 'x\uD800', '\uD800x', '\uDC00', 'x\uDFFF', '\uDC00\uD800']) expect(unstorableText(text)).toBe(LONE_SURROGATE_MESSAGE);
  });
  it('reports nested fields and keys by path', () => {
    expect(unstorableTextFields({ a: ['ok', 'bad\uD800'], ['k\u0000']: 1 }, 'body')).toEqual([
      { path: 'body.a.1', message: LONE_SURROGATE_MESSAGE },
      { path: 'body.k\\u0000', message: NUL_MESSAGE },
    ]);
  });
});
