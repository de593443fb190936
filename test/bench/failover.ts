import { spawn } from 'node:child_process';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { breakerSchema } from '../../src/config/schema.js';

/**
 * Time to failover, per fault. Steady open-loop load (RATE requests a second, loopback) of stock quotes against a
 * gateway with two vendors for the capability: polygon (primary) and finnhub (secondary). At set times polygon starts
 * to hang, then to answer 500, then to refuse connections, each for FAULT_MS, healed in between. For each fault it
 * prints the time until 99 % of answers come from finnhub, the client-visible errors, p50/p99 before and during, and
 * when polygon takes traffic again after healing, and how long after the fault began polygon's breaker opened
 * (`breakerOpened` on /v1/events). Breaker settings are the defaults unless RESET_MS sets the reset timeout.
 * CONSECUTIVE_FAILURES=0 turns fast ejection off, for the comparison in docs/performance.md.
 * Bounded: it stops by itself after the last phase (about a minute with the default 15 s reset).
 * BENCH_EVENTS=1 also prints the router's events (breaker transitions, health changes) as they happen.
 */
const rate = Number(process.env.RATE ?? 200);
const faultMs = Number(process.env.FAULT_MS ?? 4_000);
const resetMs = Number(process.env.RESET_MS ?? breakerSchema.parse({}).resetTimeoutMs);
const faults = ['hang', 'error', 'refuse'] as const;

const server = spawn(process.execPath, ['--import', 'tsx', 'test/bench/sandbox-server.ts'], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: {
    ...process.env,
    BENCH_VENDORS: 'polygon,finnhub',
    ...(process.env.RESET_MS ? { BENCH_RESET_MS: process.env.RESET_MS } : {}),
    ...(process.env.CONSECUTIVE_FAILURES ? { BENCH_CONSECUTIVE_FAILURES: process.env.CONSECUTIVE_FAILURES } : {}),
    ...(process.env.BENCH_EVENTS ? { BENCH_LOG_LEVEL: 'info' } : {}),
  },
});
// Never leave the server behind, whatever ends this script.
process.on('exit', () => server.kill('SIGTERM'));
const urls = await new Promise<{ gateway: string }>((resolve) => {
  createInterface({ input: server.stdout }).on('line', (line) => {
    if (line.startsWith('{"gateway"')) resolve(JSON.parse(line) as { gateway: string });
    else if (process.env.BENCH_EVENTS && line.includes('"event"')) console.log(Math.round(now()), line.slice(0, 200));
  });
});
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

interface Sample {
  start: number;
  end: number;
  status: number;
  provider: string;
}
const samples: Sample[] = [];
const t0 = performance.now();
const now = () => performance.now() - t0;

function request(path: string, method = 'GET', body?: string): Promise<{ status: number; provider: string }> {
  return new Promise((resolve) => {
    const req = http.request(
      `${urls.gateway}${path}`,
      // no-cache: every request must reach a vendor, or the cache would hide the failover being measured.
      { method, agent, headers: body ? { 'content-type': 'application/json' } : { 'cache-control': 'no-cache' } },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, provider: String(response.headers['x-provider'] ?? '') }),
        );
      },
    );
    req.on('error', () => resolve({ status: 0, provider: '' }));
    req.end(body);
  });
}

/** When polygon's breaker opened, from the gateway's own event stream. */
const breakerOpenedAt: number[] = [];
http.get(`${urls.gateway}/v1/events?events=breakerOpened`, { agent: false }, (response) => {
  createInterface({ input: response }).on('line', (line) => {
    if (line.startsWith('data:') && line.includes('"polygon"')) breakerOpenedAt.push(now());
  });
});

const setFault = (mode: string) =>
  request('/sandbox/vendors/polygon/fault', 'POST', JSON.stringify({ mode, delayMs: 0 }));

const symbols = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOG', 'META', 'TSLA', 'BRK.B'];
let running = true;
let sent = 0;
const inFlight = new Set<Promise<void>>();
const load = (async () => {
  const intervalMs = 1000 / rate;
  while (running) {
    const start = now();
    const symbol = symbols[sent % symbols.length] as string;
    sent += 1;
    const pending = request(`/v1/stocks/${symbol}/quote`).then(({ status, provider }) => {
      samples.push({ start, end: now(), status, provider });
    });
    inFlight.add(pending);
    void pending.finally(() => inFlight.delete(pending));
    await sleep(Math.max(0, start + intervalMs - now()));
  }
  await Promise.all(inFlight);
})();

interface Phase {
  fault: string;
  from: number;
  to: number;
  healedAt: number;
}
const phases: Phase[] = [];
const baselineEnd = 3_000;
await sleep(baselineEnd);
for (const fault of faults) {
  await setFault(fault);
  const from = now();
  await sleep(faultMs);
  const to = now();
  await setFault('ok');
  phases.push({ fault, from, to, healedAt: now() });
  await sleep(resetMs + 2_000); // the breaker's reset timeout, then a half-open probe closes it
}
running = false;
await load;
server.kill('SIGTERM');
agent.destroy();

const percentile = (values: number[], fraction: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? NaN;
};
const latencies = (list: Sample[]) => list.map((sample) => sample.end - sample.start);
const ms = (value: number) => `${value.toFixed(0)} ms`;

const baseline = samples.filter((sample) => sample.start >= 500 && sample.end <= baselineEnd);
console.log(
  `\nfailover benchmark: ${rate} requests/s, polygon → finnhub, faults of ${faultMs} ms, breaker reset ${resetMs} ms`,
);
console.log(
  `baseline: ${baseline.length} requests, p50 ${ms(percentile(latencies(baseline), 0.5))}, p99 ${ms(percentile(latencies(baseline), 0.99))}`,
);
console.log(
  '\n| fault | breaker opened after | time to failover (99 % from finnhub) | client errors during | p50 during | p99 during | polygon serves again after healing |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const phase of phases) {
  // Answers given while the fault was on (a request still in flight at the heal meets the healed primary).
  const during = samples
    .filter((sample) => sample.end > phase.from && sample.end <= phase.to)
    .sort((a, b) => a.end - b.end);
  const errors = during.filter((sample) => sample.status !== 200).length;
  // The earliest completion after which ≥ 99 % of answers until the fault ends came from finnhub.
  let failoverMs = NaN;
  let secondary = 0;
  for (let i = during.length - 1; i >= 0; i -= 1) {
    const sample = during[i] as Sample;
    if (sample.status === 200 && sample.provider === 'finnhub') secondary += 1;
    if (secondary / (during.length - i) >= 0.99) failoverMs = Math.max(0, sample.end - phase.from);
  }
  const back = samples.find((sample) => sample.start >= phase.healedAt && sample.provider === 'polygon');
  const opened = breakerOpenedAt.find((at) => at >= phase.from && at <= phase.to);
  console.log(
    `| ${phase.fault} | ${opened === undefined ? 'not during the fault' : ms(opened - phase.from)} | ${ms(failoverMs)} | ${errors} of ${during.length} | ${ms(percentile(latencies(during), 0.5))} | ${ms(percentile(latencies(during), 0.99))} | ${back ? ms(back.end - phase.healedAt) : 'not within the run'} |`,
  );
}
