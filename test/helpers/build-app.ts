import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { expect, onTestFinished } from 'vitest';
import { buildApp } from '../../src/app.js';
import type { GatewayConfig } from '../../src/config/schema.js';
import type { ProviderAdapter } from '../../src/core/index.js';
import { sandboxControlRoutes } from '../../sandbox/control-routes.js';
import { startSandbox, type Sandbox } from '../../sandbox/start.js';
import { sandboxConfig } from './sandbox-config.js';

export { sandboxConfig } from './sandbox-config.js';

export interface TestGateway {
  app: FastifyInstance;
  sandbox: Sandbox;
  config: GatewayConfig;
  /** Every log line written so far, as text. */
  logs(): string;
}

/** The gateway over the built-in simulators (real HTTP servers on loopback); closes itself after the test. */
export async function buildTestGateway(
  options: {
    adjust?: (config: GatewayConfig) => void;
    env?: Record<string, string>;
    scope?: 'test' | 'manual';
    /** Defaults to every adapter in providers/index.ts; the stream tests add fake streaming vendors. */
    adapters?: readonly ProviderAdapter[];
  } = {},
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
  const app = await buildApp({ config, logStream, ...(options.adapters ? { adapters: options.adapters } : {}) });
  await app.register(sandboxControlRoutes, { prefix: '/sandbox', sandbox });
  const gateway: TestGateway = { app, sandbox, config, logs: () => chunks.join('') };
  if (options.scope !== 'manual') onTestFinished(() => closeTestGateway(gateway));
  return gateway;
}

export async function closeTestGateway(gateway: TestGateway): Promise<void> {
  await gateway.app.close();
  await gateway.sandbox.close();
}

/** Waits until each gateway's Redis connection is up (it connects in the background): `/ready` says `redis ok`. */
export async function untilStoreReady(...gateways: TestGateway[]): Promise<void> {
  for (const gateway of gateways) {
    await expect
      .poll(async () => (await gateway.app.inject({ method: 'GET', url: '/ready' })).json().checks.store, {
        timeout: 5_000,
        interval: 20,
      })
      .toBe('redis ok');
  }
}
