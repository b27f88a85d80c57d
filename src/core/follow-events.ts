// Work that follows live events one run at a time (recording forecasts after production, the
// shift-start plan after a re-plan): a failed run is logged and the next event runs again.

export interface EventSource {
  subscribe(listener: (event: { topic: string; data?: unknown }) => void): () => void;
}

/**
 * Runs `work` for every event `pick` turns into an argument (undefined: the event is not for it),
 * strictly one after another; `idle` resolves once what was asked so far is done.
 */
export function followEvents<T>(
  hub: EventSource,
  pick: (event: { topic: string; data?: unknown }) => T | undefined,
  work: (argument: T) => Promise<unknown>,
  onError: (error: Error) => void,
): { stop: () => void; idle: () => Promise<void> } {
  let chain: Promise<void> = Promise.resolve();
  const stop = hub.subscribe((event) => {
    const argument = pick(event);
    if (argument === undefined) return;
    chain = chain.then(() => work(argument)).then(
      () => undefined,
      (error: unknown) => onError(error as Error),
    );
  });
  return { stop, idle: () => chain };
}
