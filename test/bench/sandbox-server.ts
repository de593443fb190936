import { providers } from '../../providers/index.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import { sandboxControlRoutes } from '../../sandbox/control-routes.js';
import { startSandbox } from '../../sandbox/start.js';

/**
 * The demo's gateway and simulators in their own process, with quotas lifted so a benchmark measures the gateway,
 * not the free plans. Prints one JSON line with the URLs, then serves until killed.
 * BENCH_VENDORS=a,b keeps only those vendors enabled, in that priority order (the failover benchmark);
 * BENCH_RESET_MS sets their breakers' reset timeout, BENCH_CONSECUTIVE_FAILURES their fast ejection (0: off, as
 * before it existed).
 */
const sandbox = await startSandbox();
const config = loadConfig({
  adapters: providers,
  env: { ...sandbox.env, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'error' },
});
for (const provider of Object.values(config.providers)) provider.rateLimit = { maxConcurrent: 256, maxQueue: 1_000 };
config.server.clientRateLimit.enabled = false;
// As in the demo: no client keys, and no per-client spend limit in the way of a benchmark.
config.auth.mode = 'open';
config.auth.spendPerWindow = 0;
const only = process.env.BENCH_VENDORS?.split(',');
if (only) {
  config.routing.strategy = 'priority';
  config.routing.healthChecks = false;
  for (const [name, provider] of Object.entries(config.providers)) {
    provider.enabled = only.includes(name);
    provider.tier = only.includes(name) ? only.indexOf(name) + 1 : provider.tier;
    if (process.env.BENCH_RESET_MS) provider.breaker.resetTimeoutMs = Number(process.env.BENCH_RESET_MS);
    if (process.env.BENCH_CONSECUTIVE_FAILURES) {
      provider.breaker.consecutiveFailures = Number(process.env.BENCH_CONSECUTIVE_FAILURES);
    }
  }
}
const app = await buildApp({ config });
await app.register(sandboxControlRoutes, { prefix: '/sandbox', sandbox });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.stdout.write(
  JSON.stringify({
    gateway: `http://127.0.0.1:${port}`,
    simulators: Object.fromEntries(sandbox.simulators.map((simulator) => [simulator.vendor, simulator.url])),
  }) + '\n',
);
const stop = async () => {
  await app.close();
  await sandbox.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
