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
  | { outcome: 'malformed'; detail: string; status?: number }
  | { outcome: TransportFailureKind; detail: string };

export function handlerFor<C extends Capability>(
  adapter: ProviderAdapter,
  capability: C,
): CapabilityHandler<C, unknown> | undefined {
  return adapter.capabilities[capability] as CapabilityHandler<C, unknown> | undefined;
}

/**
 * One request to one vendor: build → send → classify → validate → normalize. Every ending is a value: vendor errors
 * come back as data, and an exception in the adapter's own code (a builder, the classifier, a normalizer meeting an
 * out-of-range timestamp) is the vendor's answer not fitting our model — `malformed`, like a schema failure — so the
 * request fails over instead of answering 500.
 */
export async function callVendor<C extends Capability>(
  adapter: ProviderAdapter,
  client: VendorClient,
  capability: C,
  query: QueryOf<C>,
  signal: AbortSignal,
): Promise<VendorCallOutcome<C>> {
  const handler = handlerFor(adapter, capability);
  if (!handler) return { outcome: 'unsupported', detail: `${adapter.name} does not declare ${capability}` };
  let stage = 'building the request';
  try {
    return await callThrough(adapter, handler, client, query, signal, (next) => (stage = next));
  } catch (error) {
    const name = error instanceof Error ? error.name : typeof error;
    return { outcome: 'malformed', detail: `adapter threw ${name} while ${stage}` };
  }
}

async function callThrough<C extends Capability>(
  adapter: ProviderAdapter,
  handler: CapabilityHandler<C, unknown>,
  client: VendorClient,
  query: QueryOf<C>,
  signal: AbortSignal,
  enter: (stage: string) => void,
): Promise<VendorCallOutcome<C>> {
  const request = handler.buildRequest(query, { now: new Date() });
  if (isUnsupported(request)) return { outcome: 'unsupported', detail: request.detail };
  if (isNotFound(request)) return { outcome: 'not-found', detail: request.detail };

  enter('sending the request');
  let reply;
  try {
    reply = await client.send(request, signal);
  } catch (error) {
    if (error instanceof TransportError) return { outcome: error.kind, detail: error.code };
    throw error;
  }

  enter('classifying the reply');
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

  enter('validating the reply');
  const parsed = handler.responseSchema.safeParse(reply.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
    return { outcome: 'malformed', detail: `response failed schema at ${where}`, status: reply.status };
  }
  enter('normalizing the reply');
  const normalized = handler.normalize(parsed.data, query, { receivedAt: new Date() });
  if (isNotFound(normalized)) return { outcome: 'not-found', detail: normalized.detail, status: reply.status };
  return { outcome: 'ok', result: normalized, status: reply.status };
}
