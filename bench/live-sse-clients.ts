// Child process of bench/live.bench.ts (b): N plain HTTP streaming clients of /api/events, as N
// browser tabs' EventSources would be (own socket each). Prints "ready" once every stream has
// opened; on stdin closing, prints one JSON line: publish→receive latency (ms) of every `bench`
// event received (its `data.seq` set), from the hub's `at` to the arrival of the chunk holding it.
//   node --import tsx bench/live-sse-clients.ts <url> <clients> <cookie>
import { request } from 'node:http';

const [url, countText, cookie] = process.argv.slice(2);
const count = Number(countText);
const latencies: number[] = [];
let opened = 0;
let failed = 0;
let received = 0;

function open(): void {
  const req = request(url, { headers: { cookie, accept: 'text/event-stream' }, agent: false }, (res) => {
    if (res.statusCode !== 200) {
      failed++;
      process.stderr.write(`live-sse-clients: ${res.statusCode}\n`);
      res.resume();
      return;
    }
    res.setEncoding('utf8');
    let buffer = '';
    let counted = false;
    res.on('data', (chunk: string) => {
      const arrived = Date.now();
      if (!counted) {
        counted = true;
        if (++opened === count) process.stdout.write('ready\n');
      }
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').find((line) => line.startsWith('data: '));
        if (!data) continue;
        const event = JSON.parse(data.slice(6)) as { at: number; data?: { seq?: number } };
        if (event.data?.seq === undefined) continue;
        received++;
        latencies.push(arrived - event.at);
      }
    });
  });
  req.on('error', (error) => {
    failed++;
    process.stderr.write(`live-sse-clients: ${error.message}\n`);
  });
  req.end();
}

for (let i = 0; i < count; i++) open();
process.stdin.resume();
process.stdin.on('end', () => {
  process.stdout.write(`${JSON.stringify({ opened, failed, received, latencies })}\n`);
  process.exit(0);
});
