// Which transport carries live events between instances (QMFG_EVENTS): PostgreSQL's LISTEN/NOTIFY on
// PostgreSQL, Redis on MySQL/MariaDB when QMFG_REDIS_URL is set, else none (in-process: the events of
// an instance reach only its own screens — right for SQLite, which is one instance anyway).
import type { Config } from '../../config.js';
import type { DialectName } from '../../db/database.js';
import { PostgresTransport } from './postgres.js';
import { RedisTransport, redisChannelFor } from './redis.js';
import type { EventTransport } from './transport.js';

export type EventTransportKind = 'inprocess' | 'postgres' | 'redis';

export interface TransportChoice {
  kind: EventTransportKind;
  /** said at start when the choice means live events stay inside this instance on a shared database */
  warning: string | null;
}

export function chooseEventTransport(config: Pick<Config, 'QMFG_EVENTS' | 'QMFG_REDIS_URL'>, dialect: DialectName): TransportChoice {
  if (config.QMFG_EVENTS !== 'auto') {
    const inProcessOnServer = config.QMFG_EVENTS === 'inprocess' && dialect !== 'sqlite';
    return { kind: config.QMFG_EVENTS, warning: inProcessOnServer ? 'QMFG_EVENTS=inprocess: live events reach only the screens of this instance (run one instance only)' : null };
  }
  if (dialect === 'postgres') return { kind: 'postgres', warning: null };
  if (config.QMFG_REDIS_URL) return { kind: 'redis', warning: null };
  return {
    kind: 'inprocess',
    warning: dialect === 'mysql' ? 'live events stay inside this instance: with several instances on MySQL/MariaDB set QMFG_REDIS_URL (Redis pub/sub)' : null,
  };
}

/** The transport of a choice (null: in-process). */
export function createEventTransport(kind: EventTransportKind, config: Pick<Config, 'DATABASE_URL' | 'QMFG_REDIS_URL'>): EventTransport | null {
  if (kind === 'postgres') return new PostgresTransport(config.DATABASE_URL);
  if (kind === 'redis') return new RedisTransport(config.QMFG_REDIS_URL, redisChannelFor(config.DATABASE_URL));
  return null;
}
