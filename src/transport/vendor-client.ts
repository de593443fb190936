import http from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { LRUCache } from 'lru-cache';
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
 * was refused before it was sent, as its path would reach the vendor as another path (resolvedPath).
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

/** The decoder of each content encoding a reply may carry (calls ask for gzip or br); any other is refused. */
const decoders: Record<string, (body: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>> = {
  gzip: promisify(zlib.gunzip),
  'x-gzip': promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  br: promisify(zlib.brotliDecompress),
};
const defaultMaxResponseBytes = 5 * 1024 * 1024;
/** Paths a client remembers as checked (resolvedPath): a symbol's quote asks the same path again and again. */
const checkedPathsPerClient = 2_048;

/**
 * One keep-alive connection pool per vendor, so one slow vendor cannot starve another's sockets. Calls go through
 * Node's own http client: axios cost a miss about 400 µs of CPU, a third of the gateway's work per miss
 * (docs/decisions.md#vendor-calls-use-nodes-http-client-not-axios). The deadline comes from `signal`, which bounds the
 * body download too.
 */
export function createVendorClient(options: VendorClientOptions): VendorClient {
  const base = new URL(options.baseUrl.replace(/\/+$/, ''));
  const secure = base.protocol === 'https:';
  const agent = new (secure ? https : http).Agent({
    keepAlive: true,
    keepAliveMsecs: 1_000,
    maxSockets: options.maxConnections,
    // Every socket may stay for reuse: with fewer, a burst's extra sockets were closed as it ebbed and reopened by the
    // next, a TCP handshake and teardown per call under load. Idle ones still go after `timeout`.
    maxFreeSockets: options.maxConnections,
    // Idle sockets close before a typical vendor's keep-alive (5 s+) does, to avoid reusing a socket it just closed.
    timeout: 4_000,
    scheduling: 'lifo',
  });
  const keyHeaders: Record<string, string> = {};
  const keyQuery: Record<string, string> = {};
  if (options.auth && options.apiKey) {
    if (options.auth.in === 'header') {
      keyHeaders[options.auth.name.toLowerCase()] = options.auth.scheme
        ? `${options.auth.scheme} ${options.apiKey}`
        : options.apiKey;
    } else {
      keyQuery[options.auth.name] = options.apiKey;
    }
  }
  const baseUrl = base.href.replace(/\/+$/, '');
  const headers = {
    accept: 'application/json',
    'accept-encoding': 'gzip, br',
    'user-agent': 'market-data-gateway',
    ...keyHeaders,
  };
  const maxBytes = options.maxResponseBytes ?? defaultMaxResponseBytes;
  const requestTo = secure ? https.request : http.request;
  // The check parses a URL and decodes every segment (about 3 µs on Node 20); its answer depends on the path alone.
  // Refused paths are not kept: they are rare, and a client could send endless new ones.
  const checkedPaths = new LRUCache<string, string>({ max: checkedPathsPerClient });
  const wirePath = (path: string): string | null => {
    let checked = checkedPaths.get(path);
    if (checked === undefined) {
      const resolved = resolvedPath(baseUrl, path);
      if (resolved === null) return null;
      checkedPaths.set(path, (checked = resolved));
    }
    return checked;
  };

  return {
    name: options.name,
    async send(request, signal) {
      const path = wirePath(request.path);
      if (path === null) throw new TransportError('bad-request', 'path would resolve elsewhere', options.name);
      const query = queryString(request.query ?? {}, keyQuery);
      try {
        const response = await exchange(requestTo, {
          protocol: base.protocol,
          // An IPv6 literal keeps its brackets in a URL, not in a socket address.
          hostname: base.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: base.port,
          method: request.method,
          path: query === '' ? path : `${path}?${query}`,
          headers,
          agent,
          signal,
        });
        const body = await readBody(response, maxBytes);
        return { status: response.statusCode ?? 0, headers: flatHeaders(response.headers), body };
      } catch (error) {
        throw toTransportError(error, signal, options.name);
      }
    },
    close() {
      agent.destroy();
    },
  };
}

function exchange(requestTo: typeof http.request, options: http.RequestOptions): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = requestTo(options, resolve);
    request.once('error', reject);
    request.end();
  });
}

/**
 * The body as the vendor meant it: decompressed, then JSON where it parses and the text where it does not (an HTML
 * error page), '' when empty. `maxBytes` caps both the bytes received and the bytes decompressed (a decompression bomb).
 */
async function readBody(response: http.IncomingMessage, maxBytes: number): Promise<unknown> {
  const raw = await received(response, maxBytes);
  const encoding = response.headers['content-encoding']?.trim().toLowerCase();
  const decoded =
    raw.length > 0 && encoding && encoding !== 'identity' ? await decompressed(raw, encoding, maxBytes) : raw;
  const text = decoded.toString('utf8').replace(/^\uFEFF/, '');
  if (text === '') return '';
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The body's bytes as they came. Events, not an async iterator: the iterator cost a miss about 30 µs. */
function received(response: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(response.headers['content-length']) > maxBytes) {
      response.destroy();
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let length = 0;
    response.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > maxBytes) {
        response.destroy();
        reject(tooLarge());
      } else {
        chunks.push(chunk);
      }
    });
    response.once('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length)));
    // An abort or a dropped connection mid-body: 'error' where Node reports one, 'close' before 'end' either way.
    response.once('error', reject);
    response.once('close', () => {
      if (!response.complete) reject(Object.assign(new Error('reply cut short'), { code: 'ECONNRESET' }));
    });
  });
}

async function decompressed(raw: Buffer, encoding: string, maxBytes: number): Promise<Buffer> {
  const decode = decoders[encoding];
  if (!decode) throw Object.assign(new Error('unknown content-encoding'), { code: 'ERR_CONTENT_ENCODING' });
  try {
    return await decode(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
    throw Object.assign(new Error('undecodable reply'), { code: 'ERR_CONTENT_DECODING' });
  }
}

function tooLarge(): Error {
  return Object.assign(new Error('reply too large'), { code: 'ERR_RESPONSE_TOO_LARGE' });
}

function flatHeaders(incoming: http.IncomingHttpHeaders): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const key in incoming) {
    const value = incoming[key];
    headers[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/**
 * The path to request when `path`, joined to the base URL, reaches the vendor as the adapter built it; null when it
 * would not. The join is parsed with the WHATWG parser, as a vendor's server or proxy would read it: that resolves dot
 * segments (`.`, `..`, `%2e`) and reads `\\` as `/`, so a symbol `.` would turn polygon's `…/tickers/.` into
 * `…/tickers/`, its full-market snapshot. So the parsed path must have the built path's segments, each the same once
 * percent-decoded; no segment may be a dot segment or hide a `/` or `\\` a vendor could decode (`%2F`); a query or
 * fragment belongs in `query`; and the origin must stay the base URL's. The parsed path is what goes on the wire: it is
 * the built one, percent-encoded where a request line needs it (`é` → `%C3%A9`).
 */
export function resolvedPath(baseUrl: string, path: string): string | null {
  if (/[?#]/.test(path)) return null;
  const relative = path.replace(/^\/+/, '');
  const full = relative === '' ? baseUrl : `${baseUrl}/${relative}`;
  let resolved: URL;
  try {
    resolved = new URL(full);
  } catch {
    return null;
  }
  if (resolved.origin !== originOf(baseUrl)) return null;
  const basePath = baseUrl.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const built = (relative === '' ? basePath : `${basePath}/${relative}`) || '/';
  const builtSegments = built.split('/');
  const resolvedSegments = resolved.pathname.split('/');
  if (builtSegments.length !== resolvedSegments.length) return null;
  const asBuilt = builtSegments.every((segment, index) => {
    const decoded = decodedSegment(segment);
    return (
      decoded !== '.' &&
      decoded !== '..' &&
      !/[/\\]/.test(decoded) &&
      decoded === decodedSegment(resolvedSegments[index] ?? '')
    );
  });
  return asBuilt ? resolved.pathname : null;
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

/**
 * The query as a vendor reads it (application/x-www-form-urlencoded): the adapter's parameters, undefined ones left
 * out, then the key's when it goes in the query (it wins over a parameter of the same name).
 */
function queryString(
  query: Record<string, string | number | boolean | undefined>,
  keyQuery: Record<string, string>,
): string {
  const params = new URLSearchParams();
  for (const key in query) {
    const value = query[key];
    if (value !== undefined && !(key in keyQuery)) params.append(key, String(value));
  }
  for (const key in keyQuery) params.append(key, keyQuery[key] as string);
  return params.toString();
}

/** Maps a failed call to a TransportError, whose message holds neither the URL nor the key. */
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
  if (codeText === 'ETIMEDOUT') return new TransportError('timeout', codeText, vendor);
  return new TransportError('network', codeText, vendor);
}
