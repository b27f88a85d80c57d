// Live events between instances through PostgreSQL LISTEN/NOTIFY, on a dedicated connection (not the
// pool's: a LISTEN holds its connection for good). NOTIFY is sent on the same connection outside any
// transaction, so it is delivered at once; publishers publish after their commit. A lost connection
// is reopened (250 ms doubling up to 5 s) and LISTENs again; then the hub resyncs its screens, and
// if anything could not be sent meanwhile the other instances are told to resync too.
import pg from 'pg';
import { reconnectDelay, type EventTransport, type TransportHandlers } from './transport.js';

export const POSTGRES_CHANNEL = 'qmfg_events';

export class PostgresTransport implements EventTransport {
  readonly name = 'postgres' as const;
  private client: pg.Client | null = null;
  private handlers: TransportHandlers | null = null;
  private closed = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;
  /** something could not be sent while disconnected: the others resync once we are back */
  private dropped = false;

  constructor(
    private readonly url: string,
    private readonly channel = POSTGRES_CHANNEL,
  ) {}

  async start(handlers: TransportHandlers): Promise<void> {
    this.handlers = handlers;
    await this.open();
  }

  private async open(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5000, keepAlive: true });
    client.on('notification', (message) => {
      if (message.channel === this.channel && message.payload !== undefined) this.handlers?.deliver(message.payload);
    });
    const lost = (why: string) => {
      if (this.client !== client) return;
      this.client = null;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      if (this.closed) return;
      this.handlers?.log.warn(`live events: PostgreSQL LISTEN connection lost (${why}); reconnecting`);
      this.scheduleReconnect();
    };
    client.on('error', (error) => lost(error.message));
    client.on('end', () => lost('closed'));
    await client.connect();
    await client.query(`LISTEN ${pg.Client.prototype.escapeIdentifier(this.channel)}`);
    this.client = client;
    this.attempt = 0;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.open().then(
        () => {
          this.handlers?.log.info('live events: PostgreSQL LISTEN connection is back; open screens resync');
          const dropped = this.dropped;
          this.dropped = false;
          this.handlers?.reconnected(dropped);
        },
        (error: unknown) => {
          this.attempt++;
          this.handlers?.log.warn(`live events: PostgreSQL reconnect failed (${(error as Error).message})`);
          this.scheduleReconnect();
        },
      );
    }, reconnectDelay(this.attempt));
    this.timer.unref();
  }

  send(payload: string): void {
    const client = this.client;
    if (!client) {
      this.dropped = true;
      return;
    }
    client.query('SELECT pg_notify($1, $2)', [this.channel, payload]).catch((error: unknown) => {
      this.dropped = true;
      this.handlers?.log.warn(`live events: NOTIFY failed (${(error as Error).message})`);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  /** For tests: ends the connection as a server restart would. */
  get connectionPid(): number | null {
    return (this.client as unknown as { processID?: number } | null)?.processID ?? null;
  }
}
