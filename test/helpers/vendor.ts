import type { Capability, ProviderAdapter, QueryOf } from '../../src/contract/index.js';
import { callVendor, type VendorCallOutcome } from '../../src/routing/vendor-call.js';
import { createVendorClient } from '../../src/transport/vendor-client.js';

export const testKey = 'test-key-1234567890';

/** One real HTTP round trip through the gateway's transport and the adapter, for nock-backed adapter tests. */
export async function roundTrip<C extends Capability>(
  adapter: ProviderAdapter,
  capability: C,
  query: QueryOf<C>,
  options: { baseUrl?: string; apiKey?: string | null; timeoutMs?: number } = {},
): Promise<VendorCallOutcome<C>> {
  const client = createVendorClient({
    name: adapter.name,
    baseUrl: options.baseUrl ?? adapter.defaultBaseUrl,
    auth: adapter.auth,
    apiKey: options.apiKey === undefined ? testKey : options.apiKey,
    maxConnections: 4,
  });
  try {
    return await callVendor(adapter, client, capability, query, AbortSignal.timeout(options.timeoutMs ?? 2_000));
  } finally {
    client.close();
  }
}
