import { providers } from '../../providers/index.js';
import { providerConfigSchema, type GatewayConfig } from '../../src/config/schema.js';
import type { StreamProtocol } from '../../src/core/index.js';
import { buildTestGateway, closeTestGateway, type TestGateway } from './build-app.js';
import { fakeStreamingAdapter } from './fake-stream-vendor.js';

export interface StreamGateway extends TestGateway {
  url: string;
  /** ws://127.0.0.1:PORT/v1/stream */
  wsUrl: string;
  close(): Promise<void>;
}

/**
 * The test gateway over the simulators (REST, for the poller and the seeds) plus fake streaming vendors, best first
 * (tiers 1, 2, …), listening on loopback. Closed after the test unless `scope` is manual.
 */
export async function streamGateway(
  streamingVendors: readonly { name: string; url: string; protocol?: Partial<StreamProtocol> }[],
  options: { adjust?: (config: GatewayConfig) => void; scope?: 'test' | 'manual' } = {},
): Promise<StreamGateway> {
  const gateway = await buildTestGateway({
    scope: options.scope ?? 'test',
    adapters: [...providers, ...streamingVendors.map((vendor) => fakeStreamingAdapter(vendor.name, vendor.protocol))],
    adjust: (config) => {
      streamingVendors.forEach((vendor, index) => {
        config.providers[vendor.name] = providerConfigSchema.parse({ tier: index + 1, streamUrl: vendor.url });
      });
      // Only the fake vendors stream (the simulated ones are tested in test/e2e/stream-demo.test.ts).
      const names = streamingVendors.map((vendor) => vendor.name);
      config.stream.sources = { 'stocks.quote': names, 'crypto.price': names };
      // Fast enough for tests on a busy machine, slow enough not to flap.
      config.stream.silenceMs = 1_000;
      config.stream.upstreamPingMs = 200;
      config.stream.reconnectBaseMs = 100;
      options.adjust?.(config);
    },
  });
  await gateway.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = gateway.app.server.address() as { port: number };
  return {
    ...gateway,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/v1/stream`,
    close: () => closeTestGateway(gateway),
  };
}
