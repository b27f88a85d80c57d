// An instance's life behind a load balancer: request ids (from nginx's X-Request-Id or generated,
// echoed as a response header, in every log line as reqId), the open live-event streams (counted
// for the metrics, closed with a reconnect hint at shutdown) and draining on SIGTERM: new requests
// get 503 with Connection: close (nginx then tries another instance), those in flight finish.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** What nginx's $request_id looks like (32 hex) and what a sane client sends: short, no spaces or control characters. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
export const REQUEST_ID_HEADER = 'x-request-id';

/** Fastify's genReqId: the incoming X-Request-Id when it is a plausible id, else a new UUID. */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  const value = Array.isArray(given) ? given[0] : given;
  return value !== undefined && REQUEST_ID.test(value) ? value : randomUUID();
}

/** How long a closed live stream's browser waits before reconnecting (to another instance, through nginx). */
export const SHUTDOWN_RETRY_MS = 1000;

export class Lifecycle {
  private draining = false;
  /** the responses of the open /api/events streams */
  readonly streams = new Set<ServerResponse>();

  get isDraining(): boolean {
    return this.draining;
  }

  /** From now on new requests are refused (503, Connection: close); requests already running finish. */
  startDraining(): void {
    this.draining = true;
  }

  /**
   * Ends every open live stream with a `retry:` hint, so the browser reconnects within `retryMs` —
   * through nginx, to an instance that is still up. Returns how many it closed.
   */
  closeStreams(retryMs = SHUTDOWN_RETRY_MS): number {
    const open = [...this.streams];
    for (const response of open) {
      this.streams.delete(response);
      if (response.writableEnded || response.destroyed) continue;
      response.end(`retry: ${retryMs}\nevent: reconnect\ndata: {"reason":"server-stopping"}\n\n`);
    }
    return open.length;
  }
}

const DRAINING_BODY = JSON.stringify({ error: { code: 'unavailable', message: 'This instance is shutting down; try again (another instance answers).' } });

/** The app's lifecycle (registered by registerLifecycle in buildApp). */
export function lifecycleOf(app: FastifyInstance): Lifecycle {
  return (app as unknown as { lifecycle: Lifecycle }).lifecycle;
}

/** Registers the hooks; must come before the access hooks (a draining instance refuses before any work). */
export function registerLifecycle(app: FastifyInstance): Lifecycle {
  const lifecycle = new Lifecycle();
  app.decorate('lifecycle', lifecycle);
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    if (lifecycle.isDraining) {
      // serialised here: the route's own response schema (e.g. health's 503) must not be applied to this body
      return reply
        .code(503)
        .header('connection', 'close')
        .header('retry-after', '1')
        .type('application/json; charset=utf-8')
        .send(DRAINING_BODY);
    }
    if (request.method === 'GET' && request.url.split('?')[0] === '/api/events') {
      const response = reply.raw;
      lifecycle.streams.add(response);
      response.once('close', () => lifecycle.streams.delete(response));
    }
  });
  // answers still going out while draining close their connection: a kept-alive one would hold the
  // server's close until its idle timeout
  app.addHook('onSend', async (_request, reply, payload) => {
    if (lifecycle.isDraining) reply.header('connection', 'close');
    return payload;
  });
  return lifecycle;
}
