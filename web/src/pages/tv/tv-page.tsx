// The andon / TV view (issue 12 item 3): a wall screen, outside the app's shell and its sign-in.
// Opened with /tv?token=…[&groups=a,b][&rotate=20]: the token is traded once for an httpOnly
// device cookie and dropped from the address; a signed-in person may open /tv too. One group at a
// time, rotating, no interaction; the tiles update from the live event stream: new production is
// applied in place from the event's per-machine deltas (state, lot progress, 15-min rate, finish);
// a re-plan ('schedule'), a machine's state message, a job that changed and a reconnect fetch the
// tiles again (so does a slow poll, for the shift's OEE). The machine-state rule is re-applied
// every second between answers.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { DateTime } from 'luxon';
import { machineRunState, tileState } from '../../../../src/core/machine-state/index.js';
import { productionEventDataSchema, type MachineDelta } from '../../../../src/features/live/schemas.js';
import type { TvResponse, TvTile } from '../../../../src/features/tv/schemas.js';
import './tv.css';

const LIVE_TOPICS = ['production', 'schedule', 'machine-state'];
const DEFAULT_ROTATE_SECONDS = 20;

type Load = { kind: 'loading' } | { kind: 'refused'; message: string } | { kind: 'ready'; data: TvResponse };

async function readError(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    return body.error?.message ?? `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

/** The state a tile shows now: a running machine whose stop time has passed is stopped (same rule as the server). */
function liveState(tile: TvTile, now: number): { state: TvTile['state']; since: number | null } {
  if (tile.state !== 'running' || tile.stopsAt === null || now < tile.stopsAt) return { state: tile.state, since: tile.stateSince };
  const rule = machineRunState({ lastCycleAt: tile.lastCycleAt, thresholdMs: tile.stopsAt - (tile.lastCycleAt ?? tile.stopsAt), now });
  return { state: rule.state === 'running' ? 'running' : 'stopped', since: rule.since };
}

const STATE_LABEL: Record<TvTile['state'], string> = {
  running: 'Running',
  stopped: 'Stopped',
  changeover: 'Changeover',
  'off-shift': 'Off shift',
  'no-data': 'No data',
};

function minutesSince(since: number | null, now: number): string {
  if (since === null) return '';
  const minutes = Math.max(0, Math.floor((now - since) / 60_000));
  return minutes < 120 ? `${minutes} min` : minutes < 48 * 60 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 1440)} d`;
}

const thousands = (n: number) => Math.round(n).toLocaleString('en-US').replace(/,/g, '\u202f');

function Tile({ tile, now, zone }: { tile: TvTile; now: number; zone: string }) {
  const { state, since } = liveState(tile, now);
  const showSince = state === 'stopped' || state === 'changeover';
  const pct = tile.done === null ? null : Math.round(tile.done * 100);
  const ratio = tile.ratePerHour !== null && tile.standardRatePerHour ? Math.round((tile.ratePerHour / tile.standardRatePerHour) * 100) : null;
  const finish = tile.finish === null ? null : DateTime.fromMillis(tile.finish, { zone });
  const finishLabel = finish === null ? '—' : finish.toFormat('HH:mm');
  const day = finish === null ? '' : finish.hasSame(DateTime.fromMillis(now, { zone }), 'day') ? 'today' : finish.toFormat('ccc');
  return (
    <section className={`tv-tile tv-${state}`} data-testid={`tv-tile-${tile.machine}`} data-state={state}>
      <header className="tv-tile-head">
        <h2 className="tv-machine" data-key-figure="name">{tile.name}</h2>
        <span className="tv-product">{tile.product?.shortName ?? ''}</span>
      </header>
      <div className="tv-state" data-testid={`tv-state-${tile.machine}`} data-key-figure="state">
        {STATE_LABEL[state]}
        {showSince && since !== null ? ` ${minutesSince(since, now)}` : ''}
      </div>
      {tile.lot ? (
        <>
          <div className="tv-job">
            <span className="tv-lot">Lot {tile.lot}</span>
            <span className="tv-small">{thousands(tile.produced ?? 0)} / {thousands(tile.quantity ?? 0)}</span>
          </div>
          <div className="tv-progress">
            <span className="tv-figure" data-key-figure="done">{pct ?? 0}%</span>
            <div className="tv-bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct ?? 0}>
              <div className="tv-bar-fill" style={{ width: `${pct ?? 0}%` }} />
            </div>
          </div>
          <dl className="tv-figures">
            <div>
              <dt>Rate 15 min</dt>
              <dd className="tv-figure" data-key-figure="rate">{tile.ratePerHour === null ? '—' : `${thousands(tile.ratePerHour)}/h`}</dd>
              <dd className="tv-small">{ratio === null ? '' : `${ratio}% of std`}</dd>
            </div>
            <div>
              <dt>Finish</dt>
              <dd className={`tv-figure${tile.late ? ' tv-late-text' : ''}`} data-key-figure="finish">{finishLabel}</dd>
              <dd className="tv-small">
                {tile.late ? <span className="tv-late" data-testid={`tv-late-${tile.machine}`}>LATE</span> : day}
              </dd>
            </div>
            <div>
              <dt>OEE shift</dt>
              <dd className="tv-figure" data-key-figure="oee">{tile.oee === null ? '—' : `${Math.round(tile.oee * 100)}%`}</dd>
            </div>
          </dl>
        </>
      ) : (
        <p className="tv-idle">No job queued</p>
      )}
    </section>
  );
}

/** A machine-state event applied to the tiles at once (the refetch that follows brings the rest). */
export function applyStateEvent(data: TvResponse, machines: readonly string[], state: 'running' | 'stopped', at: number): TvResponse {
  return {
    ...data,
    groups: data.groups.map((group) => ({
      ...group,
      tiles: group.tiles.map((tile) => {
        if (!machines.includes(tile.machine)) return tile;
        // a machine that runs is running, shift or not (the server's rule); a stop off shift stays "off shift"
        if (state === 'stopped' && tile.state === 'off-shift') return tile;
        if (state === 'running') return { ...tile, state: 'running', stateSince: tile.state === 'running' ? tile.stateSince : at, stopsAt: null };
        // the server's rule: stopped before a part of the loaded job is made = changeover
        return { ...tile, state: tile.lot !== null && tile.produced === 0 ? 'changeover' : 'stopped', stateSince: at, stopsAt: null };
      }),
    })),
  };
}

/**
 * Production deltas applied to the tiles; null when one cannot be (a machine's job is not the one
 * its tile shows: the queue moved) — then the tiles are fetched again.
 */
export function applyProductionDeltas(data: TvResponse, deltas: readonly MachineDelta[]): TvResponse | null {
  const byMachine = new Map(deltas.map((delta) => [delta.machine, delta]));
  let stale = false;
  const groups = data.groups.map((group) => ({
    ...group,
    tiles: group.tiles.map((tile): TvTile => {
      const delta = byMachine.get(tile.machine);
      if (!delta) return tile;
      const job = delta.job;
      if ((job?.lot ?? null) !== tile.lot) {
        stale = true;
        return tile;
      }
      const state = tileState(delta.run.state, delta.working, job ? job.produced > 0 : null);
      return {
        ...tile,
        state,
        stateSince: state === 'off-shift' ? tile.stateSince : delta.run.stateSince,
        stopsAt: delta.run.stopsAt,
        lastCycleAt: delta.run.lastCycleAt,
        produced: job ? job.produced : tile.produced,
        done: job && job.quantity ? Math.min(1, job.produced / job.quantity) : tile.done,
        ratePerHour: delta.ratePerHour,
        finish: job ? job.forecastEnd : tile.finish,
        late: job ? job.late : tile.late,
      };
    }),
  }));
  return stale ? null : { ...data, groups };
}

export function TvPage() {
  const params = useMemo(() => new URLSearchParams(window.location.search), []);
  const groupsParam = params.get('groups') ?? '';
  const rotateSeconds = Math.max(5, Number(params.get('rotate')) || DEFAULT_ROTATE_SECONDS);
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  /** what is on screen now, for live events to apply to (they arrive between renders) */
  const loadRef = useRef(load);
  loadRef.current = load;
  const [now, setNow] = useState(() => Date.now());
  const [index, setIndex] = useState(0);
  const [live, setLive] = useState(false);
  const [ready, setReady] = useState(false);
  const inFlight = useRef<Promise<void> | null>(null);
  /** state events by machine, with when this page got them: an answer asked for before one came must not undo it */
  const stateEvents = useRef(new Map<string, { state: 'running' | 'stopped'; at: number; receivedAt: number }>());
  const again = useRef(false);

  useEffect(() => {
    document.title = 'qmfg TV';
    document.body.classList.add('tv-body');
    return () => document.body.classList.remove('tv-body');
  }, []);

  // the token, if any, becomes the device cookie; the address keeps only what the screen shows
  useEffect(() => {
    const token = params.get('token');
    if (!token) {
      setReady(true);
      return;
    }
    void (async () => {
      const response = await fetch('/api/tv/device', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
      if (!response.ok) {
        setLoad({ kind: 'refused', message: await readError(response) });
        return;
      }
      params.delete('token');
      const rest = params.toString();
      window.history.replaceState(null, '', `/tv${rest ? `?${rest}` : ''}`);
      setReady(true);
    })();
  }, [params]);

  const refresh = useCallback(async () => {
    if (inFlight.current) {
      again.current = true;
      return inFlight.current;
    }
    const startedAt = Date.now();
    const run = (async () => {
      const response = await fetch(`/api/tv${groupsParam ? `?groups=${encodeURIComponent(groupsParam)}` : ''}`, { headers: { 'x-qmfg-background': '1' } });
      if (response.ok) {
        let data = (await response.json()) as TvResponse;
        for (const [machine, event] of stateEvents.current) {
          if (event.receivedAt >= startedAt) data = applyStateEvent(data, [machine], event.state, event.at);
        }
        setLoad({ kind: 'ready', data });
      }
      else if (response.status === 401 || response.status === 403 || response.status === 400) setLoad({ kind: 'refused', message: await readError(response) });
    })().catch(() => undefined);
    inFlight.current = run.finally(() => {
      inFlight.current = null;
      if (again.current) {
        again.current = false;
        void refresh();
      }
    });
    return inFlight.current;
  }, [groupsParam]);

  useEffect(() => {
    if (!ready) return;
    void refresh();
    const source = new EventSource('/api/events');
    let dropped = false;
    source.onopen = () => {
      setLive(true);
      // events sent while the stream was down are lost: resync
      if (dropped) void refresh();
      dropped = false;
    };
    source.onerror = () => {
      dropped = true;
      setLive(false);
    };
    for (const topic of LIVE_TOPICS.filter((t) => t !== 'production')) source.addEventListener(topic, () => void refresh());
    // new production: applied to the tiles at once, without a request, when its deltas fit them
    source.addEventListener('production', (event) => {
      let deltas: MachineDelta[] | undefined;
      try {
        const parsed = productionEventDataSchema.safeParse((JSON.parse((event as MessageEvent<string>).data) as { data?: unknown }).data);
        deltas = parsed.success ? parsed.data.deltas : undefined;
      } catch {
        deltas = undefined;
      }
      if (!deltas) {
        void refresh();
        return;
      }
      const current = loadRef.current;
      const next = current.kind === 'ready' ? applyProductionDeltas(current.data, deltas) : null;
      if (next === null) {
        void refresh();
        return;
      }
      loadRef.current = { kind: 'ready', data: next };
      setLoad(loadRef.current);
    });
    // a machine's own state report shows at once, before the refetch answers
    source.addEventListener('machine-state', (event) => {
      try {
        const message = JSON.parse((event as MessageEvent<string>).data) as { at: number; data?: { machines?: string[]; state?: string } };
        const { machines, state } = message.data ?? {};
        if (!machines || (state !== 'running' && state !== 'stopped')) return;
        for (const machine of machines) stateEvents.current.set(machine, { state, at: message.at, receivedAt: Date.now() });
        setLoad((current) => (current.kind === 'ready' ? { kind: 'ready', data: applyStateEvent(current.data, machines, state, message.at) } : current));
      } catch {
        // not ours to judge: the refetch still comes
      }
    });
    source.addEventListener('session-ended', () => {
      source.close();
      void refresh();
    });
    // a slow safety net: figures that move without an event (OEE of the shift, "stopped for N min")
    const poll = setInterval(() => void refresh(), 60_000);
    return () => {
      source.close();
      clearInterval(poll);
    };
  }, [ready, refresh]);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const groups = load.kind === 'ready' ? load.data.groups : [];
  useEffect(() => {
    if (groups.length <= 1) return;
    const timer = setInterval(() => setIndex((i) => i + 1), rotateSeconds * 1000);
    return () => clearInterval(timer);
  }, [groups.length, rotateSeconds]);

  if (load.kind === 'loading') return <div className="tv-page tv-message" data-testid="tv-page">Connecting…</div>;
  if (load.kind === 'refused') {
    return (
      <div className="tv-page tv-message" data-testid="tv-page">
        <p data-testid="tv-refused">{load.message}</p>
      </div>
    );
  }
  const zone = load.data.zone;
  const group = groups.length > 0 ? groups[index % groups.length] : null;
  const clock = DateTime.fromMillis(now, { zone }).toFormat('HH:mm');
  return (
    <div className="tv-page" data-testid="tv-page">
      <header className="tv-header">
        <h1 data-testid="tv-group" data-key-figure="group">{group?.name ?? 'No process group'}</h1>
        <span className="tv-dots" aria-hidden="true">
          {groups.map((g, i) => (
            <span key={g.key} className={i === index % groups.length ? 'tv-dot tv-dot-on' : 'tv-dot'} />
          ))}
        </span>
        <span className={live ? 'tv-live' : 'tv-live tv-live-off'} data-testid="tv-live">{live ? '' : 'reconnecting'}</span>
        <span className="tv-clock" data-key-figure="clock">{clock}</span>
      </header>
      <main className={`tv-grid tv-grid-${Math.min(group?.tiles.length ?? 1, 8)}`}>
        {group?.tiles.map((tile) => <Tile key={tile.machine} tile={tile} now={now} zone={zone} />)}
      </main>
    </div>
  );
}
