// In-process hub for live updates: services' callers publish, /api/events streams them as
// Server-Sent Events to every open screen. (Several instances would bridge this through the
// database's or Redis' pub/sub — DESIGN §7.)
import { EventEmitter } from 'node:events';
import type { FastifyInstance } from 'fastify';

export interface LiveEvent {
  /** what changed: 'plant', 'calendar', 'schedule', 'production', … */
  topic: string;
  /** optional detail for listeners that can update in place */
  data?: unknown;
}

export class EventHub {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  publish(event: LiveEvent): void {
    this.emitter.emit('event', { ...event, at: Date.now() });
  }
  subscribe(listener: (event: LiveEvent & { at: number }) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
  get listenerCount(): number {
    return this.emitter.listenerCount('event');
  }
}

export function registerEventStream(app: FastifyInstance, hub: EventHub): void {
  app.get('/api/events', { config: { permission: 'plant:read', clientGate: false }, schema: { hide: true } }, (request, reply) => {
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    reply.raw.write(`retry: 2000\n\n`);
    const unsubscribe = hub.subscribe((event) => reply.raw.write(`event: ${event.topic}\ndata: ${JSON.stringify(event)}\n\n`));
    // comments keep proxies and idle timeouts from closing the stream
    const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), 20_000);
    request.raw.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
    reply.hijack();
  });
}
