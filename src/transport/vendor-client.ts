import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import type { AuthPlacement, VendorReply, VendorRequest } from '../core/index.js';

export interface VendorClientOptions {
  name: string;
  baseUrl: string;
  auth: AuthPlacement | null;
  apiKey: string | null;
  maxConnections: number;
  /** Largest body accepted from the vendor; a cap against decompression bombs. */
  maxResponseBytes?: number | undefined;
}

/**
 * Why a call produced no reply. The message never holds the URL, so it cannot carry a key. `bad-request`: the request
 * was refused before it was sent, as its path would reach the vendor as another path (resolvesAsBuilt).
 */
export type TransportFailureKind = 'timeout' | 'network' | 'aborted' | 'bad-request';

export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly kind: TransportFailureKind,
    readonly code: string,
    vendor: string,
  ) {
    super(`${vendor}: ${kind} (${code})`);
  }
}

export interface VendorClient {
  readonly name: string;
  /** Resolves with every HTTP status (classification is the adapter's); rejects only with TransportError. */
  send(request: VendorRequest, signal: AbortSignal): Promise<VendorReply>;
  close(): void;
}

/**
 * One keep-alive connection pool per vendor, so one slow vendor cannot starve another's sockets. The deadline comes
 * from `signal` only: axios's `timeout` does not bound the body download (docs/libraries.md#deadlines-come-from-the-signal).
 */
export function createVendorClient(options: VendorClientOptions): VendorClient {
  const agentOptions = {
    keepAlive: true,
    keepAliveMsecs: 1_000,
    maxSockets: options.maxConnections,
    maxFreeSockets: Math.max(1, Math.ceil(options.maxConnections / 4)),
    // Idle sockets close before a typical vendor's keep-alive (5 s+) does, to avoid reusing a socket it just closed.
    timeout: 4_000,
    scheduling: 'lifo' as const,
  };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);
  const keyHeaders: Record<string, string> = {};
  const keyQuery: Record<string, string> = {};
  if (options.auth && options.apiKey) {
    if (options.auth.in === 'header') {
      keyHeaders[options.auth.name] = options.auth.scheme ? `${options.auth.scheme} ${options.apiKey}` : options.apiKey;
    } else {
      keyQuery[options.auth.name] = options.apiKey;
    }
  }
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const headers = { accept: 'application/json', 'accept-encoding': 'gzip, br', ...keyHeaders };
  const client: AxiosInstance = axios.create({
    baseURL: baseUrl,
    // A path is always joined to the base URL, even one that looks absolute: no request leaves for another host.
    allowAbsoluteUrls: false,
    httpAgent,
    httpsAgent,
    proxy: false,
    maxRedirects: 0,
    timeout: 0,
    maxContentLength: options.maxResponseBytes ?? 5 * 1024 * 1024,
    validateStatus: () => true,
    headers,
  });
  // axios.create copies axios's own header defaults per method (common, get, post, …) into the instance, and every call
  // deep-merges them and then drops them. `headers` are all a vendor call sends, so the instance keeps only them: the
  // same request on the wire for less work per call (docs/performance.md#what-profiling-the-miss-changed).
  Object.assign(client.defaults, { headers });

  return {
    name: options.name,
    async send(request, signal) {
      if (!resolvesAsBuilt(baseUrl, request.path)) {
        throw new TransportError('bad-request', 'path would resolve elsewhere', options.name);
      }
      try {
        const params = { ...withoutUndefined(request.query), ...keyQuery };
        // No params at all spares axios its query serializer (a form-data walk) on every call without a query.
        const response = await client.request({
          method: request.method,
          url: request.path,
          ...(hasAny(params) ? { params } : {}),
          signal,
        });
        const headers: Record<string, string | undefined> = {};
        for (const [key, value] of Object.entries(response.headers)) {
          headers[key.toLowerCase()] = Array.isArray(value)
            ? value.join(', ')
            : value == null
              ? undefined
              : String(value);
        }
        return { status: response.status, headers, body: response.data as unknown };
      } catch (error) {
        throw toTransportError(error, signal, options.name);
      }
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

/**
 * Whether `path`, joined to the base URL as axios joins it, reaches the vendor as the adapter built it. axios parses the
 * joined URL with the WHATWG parser, which resolves dot segments (`.`, `..`, `%2e`) and reads `\` as `/`: a symbol `.`
 * would have turned polygon's `…/tickers/.` into `…/tickers/`, its full-market snapshot. So the parsed path must have
 * the built path's segments, each the same once percent-decoded; no segment may be a dot segment or hide a `/` or `\`
 * a vendor could decode (`%2F`); a query or fragment belongs in `query`; and the origin must stay the base URL's.
 */
export function resolvesAsBuilt(baseUrl: string, path: string): boolean {
  if (/[?#]/.test(path)) return false;
  const relative = path.replace(/^\/+/, '');
  const full = relative === '' ? baseUrl : `${baseUrl}/${relative}`;
  let resolved: URL;
  try {
    resolved = new URL(full);
  } catch {
    return false;
  }
  if (resolved.origin !== originOf(baseUrl)) return false;
  const basePath = baseUrl.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const built = (relative === '' ? basePath : `${basePath}/${relative}`) || '/';
  const builtSegments = built.split('/');
  const resolvedSegments = resolved.pathname.split('/');
  if (builtSegments.length !== resolvedSegments.length) return false;
  return builtSegments.every((segment, index) => {
    const decoded = decodedSegment(segment);
    return (
      decoded !== '.' &&
      decoded !== '..' &&
      !/[/\\]/.test(decoded) &&
      decoded === decodedSegment(resolvedSegments[index] ?? '')
    );
  });
}

/** Base URLs are few (one per vendor) and parsed once each; null when one does not parse. */
const baseOrigins = new Map<string, string | null>();

function originOf(baseUrl: string): string | null {
  let origin = baseOrigins.get(baseUrl);
  if (origin === undefined) {
    origin = URL.canParse(baseUrl) ? new URL(baseUrl).origin : null;
    baseOrigins.set(baseUrl, origin);
  }
  return origin;
}

function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function withoutUndefined(query: VendorRequest['query']): Record<string, string | number | boolean> {
  const result: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) result[key] = value;
  return result;
}

function hasAny(record: Record<string, unknown>): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return true;
  return false;
}

/** Maps an axios error to a TransportError, dropping the AxiosError (its config holds the key and the keyed URL). */
function toTransportError(error: unknown, signal: AbortSignal, vendor: string): TransportError {
  const code = (error as { code?: unknown }).code;
  const codeText = typeof code === 'string' ? code : 'UNKNOWN';
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    const isTimeout = reason instanceof DOMException && reason.name === 'TimeoutError';
    return isTimeout
      ? new TransportError('timeout', 'no answer in time', vendor)
      : new TransportError('aborted', codeText, vendor);
  }
  if (codeText === 'ECONNABORTED' || codeText === 'ETIMEDOUT') return new TransportError('timeout', codeText, vendor);
  return new TransportError('network', codeText, vendor);
}
