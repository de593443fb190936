import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

/**
 * `npm run bench:stream`: fan-out of live quotes. SUBSCRIBERS WebSocket clients each follow SYMBOLS symbols; the
 * upstream ticks every symbol RATE times a second for DURATION seconds. Measured on the gateway (a fake streaming
 * vendor upstream, test/bench/stream-server.ts) and, in the same run, on a bare `ws` server sending the same messages
 * (the baseline): fan-out latency p50/p99 (vendor send → client receipt, millisecond clock), resident memory per
 * subscriber (RSS after connecting and subscribing, less before, over SUBSCRIBERS), CPU per 10,000 messages
 * delivered. Each side runs in its own process; both stop when the run ends. Bounded: about 2 × (DURATION + 10) s. BENCH_PROFILE=dir writes each side's CPU profile there.
 */
const subscribers = Number(process.env.SUBSCRIBERS ?? 1_000);
const symbols = Number(process.env.SYMBOLS ?? 50);
const rate = Number(process.env.RATE ?? 0.5);
const durationS = Number(process.env.DURATION ?? 10);

interface Stats {
  cpuMicros: number;
  rss: number;
  sent: number;
}

interface Result {
  p50: number;
  p99: number;
  bytesPerSubscriber: number;
  cpuMsPer10k: number;
  delivered: number;
  received: number;
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGTERM');
});

async function measure(side: 'gateway' | 'baseline'): Promise<Result> {
  const profile = process.env.BENCH_PROFILE ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'test/bench/stream-server.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_SIDE: side, SYMBOLS: String(symbols), RATE: String(rate) },
  });
  children.add(child);
  const urls = await new Promise<{ wsUrl: string; controlUrl: string }>((resolve) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{"wsUrl"')) resolve(JSON.parse(line) as { wsUrl: string; controlUrl: string });
    });
  });
  const stats = async () => (await (await fetch(`${urls.controlUrl}/stats`)).json()) as Stats;
  await sleep(500);
  const before = await stats();
  const names = Array.from({ length: symbols }, (_, index) => `SYM${index}`);
  const latencies: number[] = [];
  let measuring = false;
  let received = 0;
  const sockets: WebSocket[] = [];
  for (let start = 0; start < subscribers; start += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, subscribers - start) }, async () => {
        const socket = new WebSocket(urls.wsUrl, { perMessageDeflate: false });
        sockets.push(socket);
        await new Promise<void>((resolve, reject) => {
          socket.once('error', reject);
          socket.on('message', (data) => {
            const text = String(data);
            if (text.startsWith('{"op":"subscribed"')) resolve();
            if (!measuring || !text.startsWith('{"op":"update"')) return;
            received += 1;
            const asOf = /"asOf":"([^"]+)"/.exec(text)?.[1];
            if (asOf) latencies.push(Date.now() - Date.parse(asOf));
          });
          socket.once('open', () =>
            socket.send(JSON.stringify({ op: 'subscribe', channel: 'stocks.quote', symbols: names })),
          );
        });
      }),
    );
  }
  await sleep(1_000);
  const connected = await stats();
  measuring = true;
  const started = await stats();
  await fetch(`${urls.controlUrl}/start`);
  await sleep(durationS * 1_000);
  await fetch(`${urls.controlUrl}/stop`);
  await sleep(2_000); // what is in flight arrives
  const ended = await stats();
  measuring = false;
  for (const socket of sockets) socket.terminate();
  child.kill(process.env.BENCH_PROFILE ? 'SIGINT' : 'SIGTERM');
  children.delete(child);
  latencies.sort((a, b) => a - b);
  const at = (share: number) => latencies[Math.min(latencies.length - 1, Math.floor(share * latencies.length))] ?? NaN;
  const delivered = ended.sent - started.sent;
  return {
    p50: at(0.5),
    p99: at(0.99),
    bytesPerSubscriber: (connected.rss - before.rss) / subscribers,
    cpuMsPer10k: ((ended.cpuMicros - started.cpuMicros) / 1_000 / Math.max(1, delivered)) * 10_000,
    delivered,
    received,
  };
}

const gateway = await measure('gateway');
const baseline = await measure('baseline');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
console.log(
  `\nbench:stream — ${subscribers} subscribers × ${symbols} symbols × ${rate} updates/s per symbol, ${durationS} s` +
    ` (${subscribers * symbols * rate} messages/s offered)\n`,
);
console.log('| | gateway | raw ws baseline | ratio |');
console.log('| --- | --- | --- | --- |');
console.log(`| fan-out latency p50 | ${gateway.p50} ms | ${baseline.p50} ms | ${ratio(gateway.p50, baseline.p50)} |`);
console.log(`| fan-out latency p99 | ${gateway.p99} ms | ${baseline.p99} ms | ${ratio(gateway.p99, baseline.p99)} |`);
console.log(
  `| memory per subscriber (RSS) | ${kb(gateway.bytesPerSubscriber)} | ${kb(baseline.bytesPerSubscriber)} | ` +
    `${ratio(gateway.bytesPerSubscriber, baseline.bytesPerSubscriber)} |`,
);
console.log(
  `| CPU per 10,000 messages | ${gateway.cpuMsPer10k.toFixed(1)} ms | ${baseline.cpuMsPer10k.toFixed(1)} ms | ` +
    `${ratio(gateway.cpuMsPer10k, baseline.cpuMsPer10k)} |`,
);
console.log(
  `| messages delivered / received | ${gateway.delivered} / ${gateway.received} | ` +
    `${baseline.delivered} / ${baseline.received} | |`,
);
process.exit(0);
