import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { providers } from '../../providers/index.js';
import { loadConfig } from '../../src/config/load.js';
import type { GatewayConfig } from '../../src/config/schema.js';
import { simulatedStreamSources } from '../../sandbox/start.js';

/** config/gateway.yaml as the demo loads it, pointed at `env`, with quotas raised so tests are not throttled. */
export function sandboxConfig(env: Record<string, string>, adjust?: (config: GatewayConfig) => void): GatewayConfig {
  const config = loadConfig({ adapters: providers, env: { LOG_LEVEL: 'info', ...env } });
  for (const provider of Object.values(config.providers)) {
    provider.rateLimit = { maxConcurrent: 50, maxQueue: 100 };
  }
  // Deterministic order (tier, weight), one news vendor per request and no background probes, unless a test asks.
  config.routing.strategy = 'priority';
  config.routing.healthChecks = false;
  config.routing.newsSources = 1;
  // Routing tests repeat one request and count vendor calls; the cache tests (test/e2e/cache.test.ts) turn it on.
  config.cache.enabled = false;
  // Answers keep their TTL whatever the hour the tests run at; test/e2e/cache.test.ts turns market hours on.
  config.cache.marketClosedMaxTtlMs = 0;
  // Tests count vendor calls per batch; test/e2e/quote-batching.test.ts turns the whole-market sweep on.
  config.cache.wholeMarketMinSymbols = 0;
  // No client keys and no spend limit, as in the demo; test/e2e/auth.test.ts turns both on.
  config.auth.mode = 'open';
  config.auth.spendPerWindow = 0;
  // Quota counters of their own: a test never inherits another's spent windows.
  config.store.quotaStateFile = join(mkdtempSync(join(tmpdir(), 'mdg-quotas-')), 'quotas.json');
  // Live streams from the simulated feeds only (the demo's choice too).
  config.stream.sources = simulatedStreamSources(env, config);
  adjust?.(config);
  return config;
}
