// The 'production' topic as followers that need the re-planned state see it (the forecast recorder
// reads the operations' planned ends): without the interim events of live ingest
// (`replanPending: true`, up to one a second), which the re-plan's own production event follows
// within seconds. Every other production event passes as it was published.
export interface Hub {
  subscribe(listener: (event: { topic: string; data?: unknown }) => void): () => void;
}

export function settledProduction(hub: Hub): Hub {
  return {
    subscribe: (listener) =>
      hub.subscribe((event) => {
        if (event.topic === 'production' && (event.data as { replanPending?: unknown } | undefined)?.replanPending === true) return;
        listener(event);
      }),
  };
}
