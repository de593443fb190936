import type { z } from 'zod';
import type { Capability, QueryOf, ResultOf } from './capabilities.js';
import type { StreamProtocol } from './stream.js';

/** A request relative to the vendor's base URL. The transport adds the base URL and the key. */
export interface VendorRequest {
  method: 'GET';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
}

/** Where the vendor wants its key. `optional` vendors (coingecko's public host) also work keyless. */
export type AuthPlacement =
  | { in: 'query'; name: string; optional?: boolean }
  | { in: 'header'; name: string; scheme?: string; optional?: boolean };

export interface VendorReply {
  status: number;
  headers: Record<string, string | undefined>;
  body: unknown;
}

export const vendorFailureKinds = ['auth', 'plan', 'rate-limited', 'not-found', 'bad-request', 'unavailable'] as const;
export type VendorFailureKind = (typeof vendorFailureKinds)[number];

/** A vendor's own error, as data. `detail` is ours or the vendor's code, never its raw message or a URL. */
export interface VendorFailure {
  kind: VendorFailureKind;
  vendorCode?: string;
  retryAfterMs?: number;
  detail: string;
}

/** A 200 that means "no such symbol" (finnhub zeros, polygon resultsCount 0) or a ticker the vendor cannot map. */
export interface NotFound {
  notFound: true;
  detail: string;
}

/** The vendor cannot serve this query's options (an interval, adjusted=false): skip it without calling, never a 404. */
export interface Unsupported {
  unsupported: true;
  detail: string;
}

/** The clock, injected so builders stay pure (finnhub's company news needs explicit dates; coingecko counts days back). */
export interface BuildContext {
  now: Date;
}

export interface NormalizeContext {
  receivedAt: Date;
}

// Method syntax on purpose: method parameters are bivariant, so a typed handler fits CapabilityHandler<C, unknown>.
export interface CapabilityHandler<C extends Capability, Raw> {
  capability: C;
  responseSchema: z.ZodType<Raw>;
  /**
   * Unsupported: the vendor cannot serve these options (interval, adjusted mode). NotFound: it cannot know this symbol
   * (a ticker missing from the crypto table). Either way no call is made.
   */
  buildRequest(query: QueryOf<C>, context: BuildContext): VendorRequest | Unsupported | NotFound;
  normalize(raw: Raw, query: QueryOf<C>, context: NormalizeContext): ResultOf<C> | NotFound;
  /** stock-quotes only: answers a whole-market query (StockQuotesQuery.wholeMarket) in one call. */
  wholeMarket?: boolean;
}

export type CapabilityMap = { [C in Capability]?: CapabilityHandler<C, unknown> };

export interface ProviderAdapter {
  /** Lowercase, no hyphen: the folder, the YAML key and the env prefix (POLYGON_API_KEY). */
  name: string;
  docsUrl: string;
  defaultBaseUrl: string;
  auth: AuthPlacement | null;
  capabilities: CapabilityMap;
  /** A cheap request that proves the vendor answers; null where every call spends scarce quota (passive detection only). */
  healthCheck: VendorRequest | null;
  /** Runs on every reply, 200s included. null = not a failure. */
  classifyFailure(reply: VendorReply): VendorFailure | null;
  /** Largest reply body accepted, when the vendor's biggest answer outgrows the transport's 5 MiB default. */
  maxResponseBytes?: number;
  /** The vendor's streaming API (providers/NAME/stream.ts), where it has one: the contract is src/core/stream.ts. */
  stream?: StreamProtocol;
}

export function isUnsupported(value: unknown): value is Unsupported {
  return typeof value === 'object' && value !== null && (value as { unsupported?: unknown }).unsupported === true;
}

export function isNotFound(value: unknown): value is NotFound {
  return typeof value === 'object' && value !== null && (value as { notFound?: unknown }).notFound === true;
}
