import type { Capability, ProviderAdapter, QueryOf, VendorReply, VendorRequest } from '../../src/core/index.js';
import { callVendor, type VendorCallOutcome } from '../../src/routing/vendor-call.js';
import { createVendorClient, type VendorClient } from '../../src/transport/vendor-client.js';

export const testKey = 'test-key-1234567890';

export interface VendorOptions {
  baseUrl?: string;
  apiKey?: string | null;
  timeoutMs?: number;
}

/** Runs `use` with a client of the gateway's transport that places the key as `adapter` says, then closes it. */
async function withClient<T>(
  adapter: ProviderAdapter,
  options: VendorOptions,
  use: (client: VendorClient, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const client = createVendorClient({
    name: adapter.name,
    baseUrl: options.baseUrl ?? adapter.defaultBaseUrl,
    auth: adapter.auth,
    apiKey: options.apiKey === undefined ? testKey : options.apiKey,
    maxConnections: 4,
  });
  try {
    return await use(client, AbortSignal.timeout(options.timeoutMs ?? 2_000));
  } finally {
    client.close();
  }
}

/** One real HTTP round trip through the gateway's transport and the adapter, for nock-backed adapter tests. */
export function roundTrip<C extends Capability>(
  adapter: ProviderAdapter,
  capability: C,
  query: QueryOf<C>,
  options: VendorOptions = {},
): Promise<VendorCallOutcome<C>> {
  return withClient(adapter, options, (client, signal) => callVendor(adapter, client, capability, query, signal));
}

/** The raw reply to a request no capability builds (a health check, a usage endpoint), sent with the adapter's key. */
export function sendRequest(
  adapter: ProviderAdapter,
  request: VendorRequest,
  options: VendorOptions = {},
): Promise<VendorReply> {
  return withClient(adapter, options, (client, signal) => client.send(request, signal));
}
