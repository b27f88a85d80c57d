// Live events between instances through Redis pub/sub (QMFG_REDIS_URL): for MySQL/MariaDB, which has
// no LISTEN/NOTIFY, or by choice. Two connections: a subscriber (a subscribed connection can do
// nothing else) and a publisher. The channel is named after the database, so deployments sharing one
// Redis do not hear each other. The client reconnects by itself (250 ms doubling up to 5 s) and
// resubscribes; once back the hub resyncs its screens, and the others too when we could not send.
// The publisher has no offline queue: an event that cannot go out now is dropped (and counted as a
// reason to resync), not delivered late.
import { createClient } from 'redis';
import { reconnectDelay, type EventTransport, type TransportHandlers } from './transport.js';

type Client = ReturnType<typeof createClient>;

/** The channel of the instances of one database: qmfg:events:<database name>. */
export function redisChannelFor(databaseUrl: string): string {
  let name = 'qmfg';
  try {
    name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) || name;
  } catch {
    // sqlite: or an unparsable URL: the default channel
  }
  return `qmfg:events:${name}`;
}

export class RedisTransport implements EventTransport {
  readonly name = 'redis' as const;
  private subscriber: Client | null = null;
  private publisher: Client | null = null;
  private dropped = false;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly channel: string,
  ) {}

  async start(handlers: TransportHandlers): Promise<void> {
    const options = { url: this.url, socket: { connectTimeout: 5000, reconnectStrategy: (retries: number) => reconnectDelay(retries) } };
    const subscriber = createClient(options);
    const publisher = createClient({ ...options, disableOfflineQueue: true });
    this.subscriber = subscriber;
    this.publisher = publisher;
    let lost = false;
    const report = (what: string) => (error: Error) => {
      if (!this.closed) handlers.log.warn(`live events: Redis ${what} connection: ${error.message}`);
    };
    subscriber.on('error', report('subscriber'));
    publisher.on('error', report('publisher'));
    subscriber.on('reconnecting', () => {
      lost = true;
    });
    // 'ready' again after a reconnect: node-redis has resubscribed by then
    subscriber.on('ready', () => {
      if (!lost || this.closed) return;
      lost = false;
      handlers.log.info('live events: Redis connection is back; open screens resync');
      const dropped = this.dropped;
      this.dropped = false;
      handlers.reconnected(dropped);
    });
    try {
      await subscriber.connect();
      await publisher.connect();
      await subscriber.subscribe(this.channel, (message) => handlers.deliver(message));
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  send(payload: string): void {
    const publisher = this.publisher;
    if (!publisher?.isReady) {
      this.dropped = true;
      return;
    }
    publisher.publish(this.channel, payload).catch(() => {
      this.dropped = true;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const clients = [this.subscriber, this.publisher];
    this.subscriber = this.publisher = null;
    for (const client of clients) {
      if (!client) continue;
      if (client.isOpen) await client.close().catch(() => client.destroy());
      else client.destroy();
    }
  }
}
