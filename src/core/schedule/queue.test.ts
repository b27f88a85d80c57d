import { describe, expect, it } from 'vitest';
import { loadIntoQueue } from './queue.js';

const QUEUE = ['run', 'q1', 'q2'];

describe('loadIntoQueue', () => {
  it('replace: takes position 0 and parks the job that was running', () => {
    expect(loadIntoQueue(QUEUE, 'new', 'replace')).toEqual({ queue: ['new', 'q1', 'q2'], parked: ['run'] });
    expect(loadIntoQueue([], 'new', 'replace')).toEqual({ queue: ['new'], parked: [] });
    // a queued job moved to the front: the running one is parked, the job is not duplicated
    expect(loadIntoQueue(QUEUE, 'q2', 'replace')).toEqual({ queue: ['q2', 'q1'], parked: ['run'] });
    // replacing the running job with itself changes nothing
    expect(loadIntoQueue(QUEUE, 'run', 'replace')).toEqual({ queue: QUEUE, parked: [] });
  });

  it('insert: goes right after the running job', () => {
    expect(loadIntoQueue(QUEUE, 'new', 'insert')).toEqual({ queue: ['run', 'new', 'q1', 'q2'], parked: [] });
    expect(loadIntoQueue([], 'new', 'insert')).toEqual({ queue: ['new'], parked: [] });
    expect(loadIntoQueue(['run'], 'new', 'insert')).toEqual({ queue: ['run', 'new'], parked: [] });
    expect(loadIntoQueue(QUEUE, 'q2', 'insert')).toEqual({ queue: ['run', 'q2', 'q1'], parked: [] });
  });

  it('append: goes to the end, moving an existing entry', () => {
    expect(loadIntoQueue(QUEUE, 'new', 'append')).toEqual({ queue: ['run', 'q1', 'q2', 'new'], parked: [] });
    expect(loadIntoQueue(QUEUE, 'run', 'append')).toEqual({ queue: ['q1', 'q2', 'run'], parked: [] });
    expect(loadIntoQueue([], 'new', 'append')).toEqual({ queue: ['new'], parked: [] });
  });

  it('position: lands at the index of the new queue, clamped', () => {
    expect(loadIntoQueue(QUEUE, 'new', 'position', 2)).toEqual({ queue: ['run', 'q1', 'new', 'q2'], parked: [] });
    expect(loadIntoQueue(QUEUE, 'new', 'position', 0)).toEqual({ queue: ['new', 'run', 'q1', 'q2'], parked: [] });
    expect(loadIntoQueue(QUEUE, 'new', 'position', 99)).toEqual({ queue: ['run', 'q1', 'q2', 'new'], parked: [] });
    expect(loadIntoQueue(QUEUE, 'new', 'position', -3)).toEqual({ queue: ['new', 'run', 'q1', 'q2'], parked: [] });
    // drag the running job down to index 2: it ends up at index 2
    expect(loadIntoQueue(QUEUE, 'run', 'position', 2)).toEqual({ queue: ['q1', 'q2', 'run'], parked: [] });
    expect(loadIntoQueue(QUEUE, 'q2', 'position', 1)).toEqual({ queue: ['run', 'q2', 'q1'], parked: [] });
    expect(() => loadIntoQueue(QUEUE, 'new', 'position')).toThrow(RangeError);
  });

  it('never changes the queue it was given', () => {
    const queue = [...QUEUE];
    loadIntoQueue(queue, 'q1', 'replace');
    loadIntoQueue(queue, 'x', 'position', 1);
    expect(queue).toEqual(QUEUE);
  });
});
