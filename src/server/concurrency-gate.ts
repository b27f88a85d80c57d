// Fairness under load (issue 10 item 7): each client — its session, else its address — has at most
// `concurrency` requests in flight; its further requests wait in a first-come-first-served queue of
// at most `queue` and are refused (429 + Retry-After) only beyond that. So one screen or script that
// floods the server waits behind itself and cannot starve everybody else, and the requests of one
// client finish in the order they came (tail latency near the median). A slot is given back when the
// answer is finished or the client goes away, whichever comes first; a waiting request whose client
// went away leaves the queue. In memory, per process (several instances each bound their own share).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.js';
import type { ClientGateLimits } from '../core/limits.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: not counted against the client's concurrency (health probes, the live event stream) */
    clientGate?: false;
  }
}

/** Seconds a refused client is asked to wait: the queue ahead of it drains in about that. */
const RETRY_AFTER_SECONDS = 1;

export class ClientBusy extends AppError {
  readonly status = 429;
  readonly code = 'too_many_requests';
  readonly retryAfterSeconds = RETRY_AFTER_SECONDS;
  constructor(limits: ClientGateLimits) {
    super(`This session already has ${limits.concurrency} requests running and ${limits.queue} waiting; wait for some to finish and try again.`);
  }
}

interface Waiter {
  grant(): void;
  cancel(): void;
}

interface ClientState {
  inFlight: number;
  waiting: Waiter[];
}

export class ClientGate {
  private readonly clients = new Map<string, ClientState>();
  constructor(readonly limits: ClientGateLimits) {}

  /**
   * Resolves with a release function once the client may proceed; throws ClientBusy when its queue is
   * full. `gone` fires when the client went away while waiting (the wait then ends with null).
   */
  async acquire(key: string, onGone: (cancel: () => void) => void): Promise<(() => void) | null> {
    let state = this.clients.get(key);
    if (!state) this.clients.set(key, (state = { inFlight: 0, waiting: [] }));
    const client = state;
    const release = this.releaser(key, client);
    if (client.inFlight < this.limits.concurrency) {
      client.inFlight++;
      return release;
    }
    if (client.waiting.length >= this.limits.queue) throw new ClientBusy(this.limits);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        grant: () => resolve(release),
        cancel: () => {
          const index = client.waiting.indexOf(waiter);
          if (index >= 0) client.waiting.splice(index, 1);
          this.forgetIfIdle(key, client);
          resolve(null);
        },
      };
      client.waiting.push(waiter);
      onGone(waiter.cancel);
    });
  }

  /** Requests of `key` in flight and waiting (tests, metrics). */
  load(key: string): { inFlight: number; waiting: number } {
    const client = this.clients.get(key);
    return { inFlight: client?.inFlight ?? 0, waiting: client?.waiting.length ?? 0 };
  }

  private releaser(key: string, client: ClientState): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // the slot passes straight to the longest-waiting request of the same client
      const next = client.waiting.shift();
      if (next) next.grant();
      else {
        client.inFlight--;
        this.forgetIfIdle(key, client);
      }
    };
  }

  private forgetIfIdle(key: string, client: ClientState): void {
    if (client.inFlight === 0 && client.waiting.length === 0 && this.clients.get(key) === client) this.clients.delete(key);
  }
}

/**
 * Starts gated requests one per turn of the event loop, first come first served. On SQLite every
 * handler is synchronous: without this, a turn that found 100 requests readable ran all of them back
 * to back (~150 ms for board reads) before polling again, and Node accepts one pending connection per
 * poll — a burst of new connections waited seconds (p99 9 × p50 at 100 connections). With it, each
 * turn polls (reads, accepts, health probes), then starts the longest-waiting request. With async
 * handlers (PostgreSQL, MariaDB) turns are short and this costs a few microseconds per request.
 */
export class TurnQueue {
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;

  /** Resolves on a later turn, after the requests that asked before it. */
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  get length(): number {
    return this.waiting.length;
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.waiting.shift()?.();
      this.schedule(); // set from inside the check phase: runs on the next turn, after its poll
    });
  }
}

/** The client a request counts against: its session (as the access hook verified it), else its address. */
export function clientKeyOf(request: FastifyRequest): string {
  const session = (request as FastifyRequest & { authSession?: { idHash: string } | null }).authSession;
  return session ? `session:${session.idHash}` : `address:${request.ip}`;
}

/**
 * Registers the gate as an onRequest hook. Register it after the access hook (the session is known
 * then) and before the routes it should see.
 */
export function registerClientGate(app: FastifyInstance, limits: ClientGateLimits): ClientGate {
  const gate = new ClientGate(limits);
  const turns = new TurnQueue();
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.is404 || request.routeOptions.config.clientGate === false) return;
    const release = await gate.acquire(clientKeyOf(request), (cancel) => reply.raw.once('close', cancel));
    if (release === null) {
      reply.hijack(); // the client went away while waiting: nothing to run, nothing to answer
      return;
    }
    await turns.next();
    if (reply.raw.destroyed) {
      release();
      reply.hijack();
      return;
    }
    // 'close' comes once the answer is finished and also when the client aborts: either gives the slot back
    if (reply.raw.writableEnded || reply.raw.destroyed) release();
    else reply.raw.once('close', release);
  });
  return gate;
}
