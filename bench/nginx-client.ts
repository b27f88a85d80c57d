// The load generator of bench/nginx.bench.ts, in a process of its own (as load from other machines
// would be): autocannon with one session cookie per connection (round robin over the sessions
// given), closed-loop or at a fixed overall rate (open-loop: latencies corrected for coordinated
// omission). Prints one JSON line: requests/s, latency percentiles, errors, non-2xx.
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2]) as { url: string; connections: number; seconds: number; rate?: number; cookies: string[] };
let next = 0;
const result = await autocannon({
  url: options.url,
  connections: options.connections,
  duration: options.seconds,
  ...(options.rate ? { overallRate: options.rate } : {}),
  setupClient: (client) => {
    client.setHeaders({ cookie: options.cookies[next++ % options.cookies.length] });
  },
});
process.stdout.write(
  JSON.stringify({
    requests: result.requests.total,
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }) + '\n',
);
