import {
  isNotFound,
  isUnsupported,
  type Capability,
  type CapabilityHandler,
  type ProviderAdapter,
  type QueryOf,
  type ResultOf,
  type VendorFailureKind,
} from '../core/index.js';
import { TransportError, type TransportFailureKind, type VendorClient } from '../transport/vendor-client.js';

/** What one vendor call came to, before any routing decision. */
export type VendorCallOutcome<C extends Capability> =
  | { outcome: 'ok'; result: ResultOf<C>; status: number }
  | { outcome: 'not-found'; detail: string; status?: number }
  | { outcome: 'unsupported'; detail: string }
  | { outcome: Exclude<VendorFailureKind, 'not-found'>; detail: string; status: number; retryAfterMs?: number }
  | { outcome: 'malformed'; detail: string; status: number }
  | { outcome: TransportFailureKind; detail: string };

export function handlerFor<C extends Capability>(
  adapter: ProviderAdapter,
  capability: C,
): CapabilityHandler<C, unknown> | undefined {
  return adapter.capabilities[capability] as CapabilityHandler<C, unknown> | undefined;
}

/**
 * One request to one vendor: build → send → classify → validate → normalize. Vendor errors come back as data; the only
 * thing it throws is a programming error (a capability the adapter does not declare).
 */
export async function callVendor<C extends Capability>(
  adapter: ProviderAdapter,
  client: VendorClient,
  capability: C,
  query: QueryOf<C>,
  signal: AbortSignal,
): Promise<VendorCallOutcome<C>> {
  const handler = handlerFor(adapter, capability);
  if (!handler) throw new Error(`${adapter.name} does not declare ${capability}`);
  const request = handler.buildRequest(query, { now: new Date() });
  if (isUnsupported(request)) return { outcome: 'unsupported', detail: request.detail };
  if (isNotFound(request)) return { outcome: 'not-found', detail: request.detail };

  let reply;
  try {
    reply = await client.send(request, signal);
  } catch (error) {
    if (error instanceof TransportError) return { outcome: error.kind, detail: error.code };
    throw error;
  }

  const failure = adapter.classifyFailure(reply);
  if (failure) {
    if (failure.kind === 'not-found') return { outcome: 'not-found', detail: failure.detail, status: reply.status };
    const result: VendorCallOutcome<C> = { outcome: failure.kind, detail: failure.detail, status: reply.status };
    if (failure.retryAfterMs !== undefined) result.retryAfterMs = failure.retryAfterMs;
    return result;
  }
  if (reply.status < 200 || reply.status >= 300) {
    return { outcome: 'unavailable', detail: `HTTP ${reply.status}`, status: reply.status };
  }

  const parsed = handler.responseSchema.safeParse(reply.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
    return { outcome: 'malformed', detail: `response failed schema at ${where}`, status: reply.status };
  }
  const normalized = handler.normalize(parsed.data, query, { receivedAt: new Date() });
  if (isNotFound(normalized)) return { outcome: 'not-found', detail: normalized.detail, status: reply.status };
  return { outcome: 'ok', result: normalized, status: reply.status };
}
