import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { onTestFinished } from 'vitest';
import { providers } from '../../providers/index.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import type { GatewayConfig } from '../../src/config/schema.js';
import { sandboxControlRoutes } from '../../sandbox/control-routes.js';
import { startSandbox, type Sandbox } from '../../sandbox/start.js';

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
  // No client keys and no spend limit, as in the demo; test/e2e/auth.test.ts turns both on.
  config.auth.mode = 'open';
  config.auth.spendPerWindow = 0;
  adjust?.(config);
  return config;
}

export interface TestGateway {
  app: FastifyInstance;
  sandbox: Sandbox;
  config: GatewayConfig;
  /** Every log line written so far, as text. */
  logs(): string;
}

/** The gateway over the built-in simulators (real HTTP servers on loopback); closes itself after the test. */
export async function buildTestGateway(
  options: { adjust?: (config: GatewayConfig) => void; env?: Record<string, string>; scope?: 'test' | 'manual' } = {},
): Promise<TestGateway> {
  const sandbox = await startSandbox();
  const config = sandboxConfig({ ...sandbox.env, ...options.env }, options.adjust);
  const chunks: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const app = await buildApp({ config, logStream });
  await app.register(sandboxControlRoutes, { prefix: '/sandbox', sandbox });
  const gateway: TestGateway = { app, sandbox, config, logs: () => chunks.join('') };
  if (options.scope !== 'manual') onTestFinished(() => closeTestGateway(gateway));
  return gateway;
}

export async function closeTestGateway(gateway: TestGateway): Promise<void> {
  await gateway.app.close();
  await gateway.sandbox.close();
}
