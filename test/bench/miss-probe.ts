import { createHook } from 'node:async_hooks';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { providers } from '../../providers/index.js';
import { startSandbox } from '../../sandbox/start.js';
import { simulators } from '../../sandbox/simulators.js';
import { buildApp } from '../../src/app.js';
import type { VendorReply } from '../../src/core/index.js';
import { loadConfig } from '../../src/config/load.js';

/**
 * A cache miss's CPU with no socket at all: the gateway in this process, asked through Fastify's `inject`, polygon's
 * client answering with a reply it captured once from the simulator. What it measures is the work between the two
 * sockets (routing, limiter, breaker, cache, schemas, logs, metrics, collector); `npm run bench` (j) measures the whole
 * miss. See docs/performance.md#a-fifth-look-how-far-node-20-is-from-the-target-and-why.
 *
 * MISSES per round (10 000), ROUNDS (6; min and median are printed), CONCURRENCY (16), LOG_LEVEL (info; the log goes
 * to /dev/null as in the bench). PROMISES=1 counts instead the promises one miss makes, by the line that made them.
 */
const misses = Number(process.env.MISSES ?? 10_000);
const rounds = Number(process.env.ROUNDS ?? 6);
const concurrency = Number(process.env.CONCURRENCY ?? 16);
const path = '/v1/stocks/AAPL/quote';
// An operator key: only the operator scope may skip the cache with no-cache (docs/security.md).
const headers = { 'cache-control': 'no-cache', 'x-api-key': 'probe-admin-key-0123456789abcdef' };

const sandbox = await startSandbox(simulators.filter((simulator) => simulator.vendor === 'polygon'));
const configPath = join(mkdtempSync(join(tmpdir(), 'mdg-probe-')), 'gateway.yaml');
writeFileSync(
  configPath,
  [
    `server: { host: 127.0.0.1, port: 0, logLevel: ${process.env.LOG_LEVEL ?? 'info'}, clientRateLimit: { enabled: false },`,
    // No load shedding: the probe keeps the loop busy on purpose (16 misses at a time, no pause), and measures a miss.
    '  underPressure: { maxEventLoopDelayMs: 0, maxHeapUsedBytes: 0 } }',
    'routing: { strategy: priority, healthChecks: false }',
    'providers:',
    '  polygon: { tier: 1, timeoutMs: 1500, rateLimit: { maxConcurrent: 256, maxQueue: 1000 } }',
    '',
  ].join('\n'),
);
const config = loadConfig({
  adapters: providers,
  env: {
    GATEWAY_CONFIG: configPath,
    POLYGON_BASE_URL: sandbox.env.POLYGON_BASE_URL ?? '',
    POLYGON_API_KEY: 'sandbox-key',
    GATEWAY_ADMIN_KEY: headers['x-api-key'],
  },
});
const app = await buildApp({ config, logStream: pino.destination({ dest: '/dev/null', sync: false }) });
await app.ready();

const client = app.router.registry.find('polygon')?.runtime?.client;
if (!client) throw new Error('polygon is not configured');
const send = client.send.bind(client);
let captured: VendorReply | undefined;
client.send = async (request, signal) => (captured ??= await send(request, signal));
await missOnce();
const reply = captured;
if (!reply) throw new Error('polygon was not called');
// A fresh body each time, parsed from the captured text as the vendor client parses it (the adapter may keep what it is
// given): the gateway's own work, where a structuredClone of the parsed body was the probe's.
const replyText = JSON.stringify(reply.body);
client.send = () => Promise.resolve({ ...reply, body: JSON.parse(replyText) as unknown });

async function missOnce(): Promise<void> {
  const response = await app.inject({ url: path, headers });
  if (response.statusCode !== 200 || response.headers['x-cache'] !== 'miss') {
    throw new Error(`${path} answered ${response.statusCode} (cache: ${String(response.headers['x-cache'])})`);
  }
}

async function missMany(count: number): Promise<void> {
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started += 1;
      await missOnce();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Promises made during `count` misses, by the first line outside node internals, the probe and inject that made them. */
async function promisesBySite(count: number): Promise<Map<string, number>> {
  const sites = new Map<string, number>();
  const hook = createHook({
    init(_id, type) {
      if (type !== 'PROMISE') return;
      const frame = new Error().stack
        ?.split('\n')
        .slice(1)
        .find((line) => !/async_hooks|miss-probe|light-my-request|\(node:|\(<anonymous>\)/.test(line));
      const site =
        frame
          ?.trim()
          .replace(/^at /, '')
          .replace(/\(?\/.*\/(src|providers|node_modules)\//, '$1/') ?? '?';
      sites.set(site, (sites.get(site) ?? 0) + 1);
    },
  });
  Error.stackTraceLimit = 20;
  hook.enable();
  await missMany(count);
  hook.disable();
  return sites;
}

await missMany(5_000);
if (process.env.PROMISES === '1') {
  const count = 1_000;
  const sites = [...(await promisesBySite(count))].sort((a, b) => b[1] - a[1]);
  const total = sites.reduce((sum, [, made]) => sum + made, 0);
  console.log(`${(total / count).toFixed(1)} promises per miss (${process.version}), by the line that made them:`);
  for (const [site, made] of sites.slice(0, 40)) console.log(`${(made / count).toFixed(2).padStart(6)}  ${site}`);
} else {
  const cpuPerMiss: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const before = process.cpuUsage();
    await missMany(misses);
    const used = process.cpuUsage(before);
    cpuPerMiss.push((used.user + used.system) / misses);
  }
  cpuPerMiss.sort((a, b) => a - b);
  const median = cpuPerMiss[Math.floor(cpuPerMiss.length / 2)] ?? NaN;
  console.log(
    `${process.version}: ${rounds} rounds of ${misses} misses, ${concurrency} at a time: CPU per miss min ` +
      `${(cpuPerMiss[0] ?? NaN).toFixed(1)} µs, median ${median.toFixed(1)} µs`,
  );
}
await app.close();
await sandbox.close();
