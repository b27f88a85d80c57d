import { describe, expect, it } from 'vitest';
import { operationId, parseOperationId, queueState } from './operations.js';

describe('operation ids', () => {
  it('round-trip, keeping leading zeros and a lot that contains a slash', () => {
    expect(operationId({ lot: '059070', step: 2 })).toBe('059070/2');
    expect(parseOperationId('059070/2')).toEqual({ lot: '059070', step: 2 });
    expect(parseOperationId(operationId({ lot: 'A/7', step: 0 }))).toEqual({ lot: 'A/7', step: 0 });
  });
});

describe('queueState', () => {
  it('held stays held; the head runs once production started; the rest is queued', () => {
    expect(queueState({ state: 'held', produced: 10, actual_start: 1 }, 0)).toBe('held');
    expect(queueState({ state: 'queued', produced: 0, actual_start: null }, 0)).toBe('queued');
    expect(queueState({ state: 'queued', produced: 5, actual_start: null }, 0)).toBe('running');
    expect(queueState({ state: 'queued', produced: 0, actual_start: 1_000 }, 0)).toBe('running');
    expect(queueState({ state: 'running', produced: 5, actual_start: 1_000 }, 1)).toBe('queued');
  });
});
