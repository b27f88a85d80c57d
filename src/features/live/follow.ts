// A slower view of the 'production' topic for followers that do real work per event (the forecast
// recorder re-forecasts each named machine): production events come up to once a second now, and
// such a follower needs them at most every `intervalMs` — the first at once, the rest of a burst
// merged (the machines of all of them) into one at the end of the interval.
export interface Hub {
  subscribe(listener: (event: { topic: string; data?: unknown }) => void): () => void;
}

export function productionEvery(hub: Hub, intervalMs: number, clock: () => number = Date.now): Hub {
  return {
    subscribe(listener) {
      let last = Number.NEGATIVE_INFINITY;
      let pending: Set<string> | null = null;
      let timer: ReturnType<typeof setTimeout> | null = null;
      const send = (machines: Iterable<string>) => {
        last = clock();
        listener({ topic: 'production', data: { machines: [...machines] } });
      };
      const unsubscribe = hub.subscribe((event) => {
        if (event.topic !== 'production') return;
        const machines = (event.data as { machines?: unknown } | undefined)?.machines;
        if (!Array.isArray(machines)) return;
        const named = machines.filter((m): m is string => typeof m === 'string');
        if (pending === null && clock() - last >= intervalMs) return send(named);
        pending ??= new Set();
        for (const machine of named) pending.add(machine);
        timer ??= setTimeout(() => {
          timer = null;
          const machinesOfBurst = pending ?? new Set<string>();
          pending = null;
          send(machinesOfBurst);
        }, Math.max(0, last + intervalMs - clock()));
      });
      return () => {
        unsubscribe();
        if (timer) clearTimeout(timer);
      };
    },
  };
}
