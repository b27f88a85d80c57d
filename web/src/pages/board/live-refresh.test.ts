// Which schedule events refetch the board: every one, except the echo of a change this board made
// and fetched the plan for already.
import { describe, expect, it } from 'vitest';
import { ECHO_WINDOW_MS, EchoGate } from './live-refresh.js';

describe('EchoGate', () => {
  it('refetches for events nobody here caused', () => {
    const gate = new EchoGate();
    expect(gate.shouldRefetch(1000)).toBe(true);
    expect(gate.shouldRefetch(1100)).toBe(true);
  });

  it('lets pass the echo that arrives after our change was answered, once', () => {
    const gate = new EchoGate();
    gate.ownChange(5000, 4900);
    expect(gate.shouldRefetch(5020)).toBe(false);
    // the next event is someone else's
    expect(gate.shouldRefetch(5040)).toBe(true);
  });

  it('expects no echo when one arrived after the change was sent (the server announces before it answers)', () => {
    const gate = new EchoGate();
    expect(gate.shouldRefetch(4950)).toBe(true); // the echo, its refetch replaced by ours
    gate.ownChange(5000, 4900);
    expect(gate.shouldRefetch(5030)).toBe(true);
  });

  it('counts an event before the change was sent as someone else’s', () => {
    const gate = new EchoGate();
    expect(gate.shouldRefetch(4800)).toBe(true);
    gate.ownChange(5000, 4900);
    expect(gate.shouldRefetch(5010)).toBe(false);
  });

  it('stops waiting for an echo after the window', () => {
    const gate = new EchoGate();
    gate.ownChange(5000, 4900);
    expect(gate.shouldRefetch(5000 + ECHO_WINDOW_MS + 1)).toBe(true);
  });

  it('without the send time, takes an event within the window before the answer as the echo', () => {
    const gate = new EchoGate();
    expect(gate.shouldRefetch(5000 - ECHO_WINDOW_MS / 2)).toBe(true);
    gate.ownChange(5000);
    expect(gate.shouldRefetch(5010)).toBe(true);
  });
});
