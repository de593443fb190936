import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { providers } from '../../providers/index.js';
import { syntheticTicker } from '../../sandbox/market.js';
import { startSandbox } from '../../sandbox/start.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import { mulberry32, zipfSampler } from '../helpers/random.js';

/**
 * `npm run bench:cost`: what the gateway spends per answer. Open-loop stock-quote requests (RATE a second, REQUESTS in
 * all) for symbols drawn from a Zipf law (EXPONENT) over UNIVERSE symbols, seeded (SEED), against the sandbox's
 * simulators with one vendor enabled at a time (VENDORS, comma-separated) and its quota lifted; every simulator answers
 * after VENDOR_LATENCY_MS. Each vendor runs once per MARKET (open, closed): `closed` puts the process on a fake clock,
 * Date.now shifted to CLOSED_AT (a weeknight in New York), `open` to OPEN_AT (a regular session). Prints, per run,
 * vendor calls per 1,000 requests, spend (the vendor's costPerCall in config/gateway.yaml), how the cache answered, and
 * the client's latency (all requests, and cache misses alone). Config knobs of the gateway (cache.*) come from
 * config/gateway.yaml (GATEWAY_CONFIG picks another file); BATCH_WINDOW_MS overrides cache.batchWindowMs,
 * WHOLE_MARKET_MIN_SYMBOLS cache.wholeMarketMinSymbols (0: no whole-market sweep, the figures before it). Loopback only;
 * bounded by REQUESTS.
 */
const rate = Number(process.env.RATE ?? 50);
const requests = Number(process.env.REQUESTS ?? 3_000);
const universe = Number(process.env.UNIVERSE ?? 500);
const exponent = Number(process.env.EXPONENT ?? 1.1);
const seed = Number(process.env.SEED ?? 1);
const vendors = (process.env.VENDORS ?? process.env.VENDOR ?? 'polygon,finnhub').split(',');
const markets = (process.env.MARKET ?? 'open,closed').split(',');
const vendorLatencyMs = Number(process.env.VENDOR_LATENCY_MS ?? 20);
const batchWindowMs = process.env.BATCH_WINDOW_MS === undefined ? undefined : Number(process.env.BATCH_WINDOW_MS);
const wholeMarketMinSymbols =
  process.env.WHOLE_MARKET_MIN_SYMBOLS === undefined ? undefined : Number(process.env.WHOLE_MARKET_MIN_SYMBOLS);
// Wednesday 2026-12-09: 11:00 and 21:00 in New York (EST, UTC-5).
const marketInstants: Record<string, number> = {
  open: Date.parse(process.env.OPEN_AT ?? '2026-12-09T16:00:00Z'),
  closed: Date.parse(process.env.CLOSED_AT ?? '2026-12-10T02:00:00Z'),
};

/** Tickers BAAA, BAAB, …: well-formed, known to every simulator, the first 2,000 listed in polygon's whole market. */
const symbols = Array.from({ length: universe }, (_, index) => syntheticTicker(index));

const realNow = Date.now.bind(Date);
const sandbox = await startSandbox();
for (const simulator of sandbox.simulators) simulator.setFault({ mode: 'slow', delayMs: vendorLatencyMs });
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

interface Sample {
  ms: number;
  status: number;
  cache: string;
}

function get(url: string): Promise<Sample> {
  const started = performance.now();
  return new Promise((resolve) => {
    http
      .get(url, { agent }, (response) => {
        response.resume();
        response.on('end', () =>
          resolve({
            ms: performance.now() - started,
            status: response.statusCode ?? 0,
            cache: String(response.headers['x-cache'] ?? 'none'),
          }),
        );
      })
      .on('error', () => resolve({ ms: performance.now() - started, status: 0, cache: 'none' }));
  });
}

interface RunResult {
  vendor: string;
  market: string;
  distinct: number;
  calls: number;
  spend: number;
  caches: Record<string, number>;
  errors: number;
  all: number[];
  misses: number[];
}

async function run(vendor: string, market: string): Promise<RunResult> {
  const offset = (marketInstants[market] ?? NaN) - realNow();
  if (!Number.isFinite(offset)) throw new Error(`MARKET: unknown market state ${market} (open, closed)`);
  Date.now = () => realNow() + offset;
  const config = loadConfig({ adapters: providers, env: { ...process.env, ...sandbox.env, LOG_LEVEL: 'error' } });
  const costPerCall = config.providers[vendor]?.costPerCall;
  if (costPerCall === undefined) throw new Error(`VENDORS: ${vendor} is not in the config`);
  for (const [name, provider] of Object.entries(config.providers)) {
    provider.enabled = name === vendor;
    provider.rateLimit = { maxConcurrent: 256, maxQueue: 1_000 };
  }
  config.routing.healthChecks = false;
  if (batchWindowMs !== undefined) config.cache.batchWindowMs = batchWindowMs;
  if (wholeMarketMinSymbols !== undefined) config.cache.wholeMarketMinSymbols = wholeMarketMinSymbols;
  config.server.clientRateLimit.enabled = false;
  config.auth.mode = 'open';
  config.auth.spendPerWindow = 0;
  const app = await buildApp({ config });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const simulator = sandbox.simulators.find((candidate) => candidate.vendor === vendor);
  if (!simulator) throw new Error(`no simulator for ${vendor}`);

  const draw = zipfSampler(universe, exponent, mulberry32(seed));
  const asked = new Set<string>();
  const callsBefore = simulator.requestCount;
  const pending: Promise<Sample>[] = [];
  const started = performance.now();
  for (let index = 0; index < requests; index += 1) {
    const symbol = symbols[draw()] as string;
    asked.add(symbol);
    pending.push(get(`${base}/v1/stocks/${symbol}/quote`));
    await sleep(Math.max(0, started + ((index + 1) * 1000) / rate - performance.now()));
  }
  const samples = await Promise.all(pending);
  const calls = simulator.requestCount - callsBefore;
  await app.close();
  Date.now = realNow;

  const caches: Record<string, number> = {};
  for (const sample of samples) caches[sample.cache] = (caches[sample.cache] ?? 0) + 1;
  return {
    vendor,
    market,
    distinct: asked.size,
    calls,
    spend: calls * costPerCall,
    caches,
    errors: samples.filter((sample) => sample.status !== 200).length,
    all: samples.map((sample) => sample.ms),
    misses: samples.filter((sample) => sample.cache === 'miss').map((sample) => sample.ms),
  };
}

const percentile = (values: readonly number[], fraction: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? NaN;
};
const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : '–');

const results: RunResult[] = [];
for (const vendor of vendors) for (const market of markets) results.push(await run(vendor, market));
await sandbox.close();
agent.destroy();

console.log(
  `\nbench:cost — ${requests} stock quotes at ${rate}/s, Zipf(${exponent}) over ${universe} symbols, seed ${seed}, ` +
    `vendor latency ${vendorLatencyMs} ms, cache.batchWindowMs ${batchWindowMs ?? 'from the config'}, cache.wholeMarketMinSymbols ${wholeMarketMinSymbols ?? 'from the config'}, Node ${process.version}`,
);
console.log(
  '\n| vendor | market | distinct symbols | vendor calls | calls / 1,000 requests | calls / symbol | spend (USD) | ' +
    'hit / stale / coalesced / miss | errors | p50 | p99 | miss p99 |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const result of results) {
  const { caches } = result;
  const cacheMix = ['hit', 'stale', 'coalesced', 'miss'].map((status) => caches[status] ?? 0).join(' / ');
  console.log(
    `| ${result.vendor} | ${result.market} | ${result.distinct} | ${result.calls} | ` +
      `${((result.calls * 1_000) / requests).toFixed(1)} | ${(result.calls / result.distinct).toFixed(2)} | ` +
      `${result.spend.toFixed(4)} | ${cacheMix} | ${result.errors} | ${ms(percentile(result.all, 0.5))} | ` +
      `${ms(percentile(result.all, 0.99))} | ${ms(percentile(result.misses, 0.99))} |`,
  );
}
