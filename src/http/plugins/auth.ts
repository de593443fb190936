import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hashClientKey } from '../../config/env-overrides.js';
import type { AuthConfig, ClientScope, GatewayConfig } from '../../config/schema.js';
import { GatewayError } from '../../core/errors.js';
import type { Capability } from '../../core/index.js';
import type { RedisClientKeys } from '../../store/client-keys.js';
import type { ClientSpendMeter } from '../../store/client-spend.js';
import { isBilled } from '../../store/metrics-store.js';

/** Who is calling, once the auth hook has run. */
export interface ClientIdentity {
  /** What limits and spend are counted under: `key:<name>`, or `ip:<address>` (IPv6 by /64) without a key. */
  id: string;
  /** The key's name; null for a caller without a key (open mode). */
  name: string | null;
  scopes: ReadonlySet<ClientScope>;
  requestsPerWindow: number;
  spendPerWindow: number;
  /** Over its spend for this window: it may still be answered from the cache, never from a vendor. */
  overSpend: { resetsInMs: number } | null;
  /** The key's own live-stream limits (streamConnections, streamSymbols); unset: the stream section's defaults. */
  streamLimits?: { connections?: number | undefined; symbols?: number | undefined };
}

declare module 'fastify' {
  interface FastifyRequest {
    client: ClientIdentity;
  }
  interface FastifyContextConfig {
    /** Answers anyone, with no key and no limit (liveness, readiness, the API description). */
    public?: boolean;
    /** The operator surface: an operator key, or the admin port (auth.adminPort). */
    operator?: boolean;
  }
}

export interface AuthSettings {
  auth: AuthConfig;
  clientRateLimit: GatewayConfig['server']['clientRateLimit'];
  spend: ClientSpendMeter;
  /** A vendor's costPerCall in the running configuration, to charge a request for the vendor calls it caused. */
  costPerCall: (vendor: string) => number;
  /** Keys issued into Redis, when store.redisUrl is set. */
  issuedKeys: RedisClientKeys | null;
}

const operatorScopes: ReadonlySet<ClientScope> = new Set(['data', 'operator']);
/** Whoever reaches the admin port: the network, not a key, vouches for them. */
const adminPortClient = {
  id: 'admin-port',
  name: 'admin-port',
  scopes: operatorScopes,
  requestsPerWindow: Number.MAX_SAFE_INTEGER,
  spendPerWindow: 0,
};
const dataScopes: ReadonlySet<ClientScope> = new Set(['data']);

/**
 * Client identity, scopes and spend (docs/security.md). Every request but the public routes needs a key in `keys` mode
 * (`X-API-Key`, or `Authorization: Bearer`); keys are looked up by their SHA-256, never kept. In `open` mode a caller
 * without a key is told apart by IP and may do everything a data key may, and the operator surface too unless an
 * operator key or an admin port exists. A request is charged, once answered, what its vendor calls cost; a client over
 * its spend is answered from the cache only.
 */
export function registerAuth(app: FastifyInstance, settings: AuthSettings): void {
  const { auth, clientRateLimit, spend, costPerCall, issuedKeys } = settings;
  const byHash = new Map(auth.keys.map((key) => [key.sha256, key]));
  const anyOperatorKey = auth.keys.some((key) => key.scopes.includes('operator'));
  const anonymousScopes = anyOperatorKey || auth.adminPort !== undefined ? dataScopes : operatorScopes;

  app.decorateRequest('client', null as unknown as ClientIdentity);

  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config;
    if (config.public || request.routeOptions.url === undefined || isApiDescription(request)) return;
    if (config.operator && auth.adminPort !== undefined) {
      // The admin port is the operator surface's only door: no key there, and no such route anywhere else.
      if (request.socket.localPort !== auth.adminPort) {
        reply.callNotFound();
        return reply;
      }
      request.client = { ...adminPortClient, overSpend: null };
      return;
    }
    const presented = presentedKey(request);
    let client: ClientIdentity;
    if (presented !== null) {
      const sha256 = hashClientKey(presented);
      const key = byHash.get(sha256) ?? (await issuedKeys?.find(sha256)) ?? undefined;
      if (!key) throw unauthorized(reply, 'the API key is not valid');
      client = {
        id: `key:${key.name}`,
        name: key.name,
        scopes: new Set(key.scopes),
        requestsPerWindow: key.requestsPerWindow ?? clientRateLimit.max,
        spendPerWindow: key.spendPerWindow ?? auth.spendPerWindow,
        overSpend: null,
        streamLimits: { connections: key.streamConnections, symbols: key.streamSymbols },
      };
    } else if (auth.mode === 'open') {
      client = {
        id: `ip:${clientAddress(request.ip)}`,
        name: null,
        scopes: anonymousScopes,
        requestsPerWindow: clientRateLimit.max,
        spendPerWindow: auth.spendPerWindow,
        overSpend: null,
      };
    } else {
      throw unauthorized(
        reply,
        'an API key is required: send it in X-API-Key or Authorization: Bearer (a browser WebSocket: the ' +
          `${keySubprotocolPrefix}<key> subprotocol)`,
      );
    }
    request.client = client;
    if (config.operator && !client.scopes.has('operator')) {
      throw new GatewayError('GW_FORBIDDEN', 'the operator surface needs a key with the operator scope');
    }
    if (client.spendPerWindow > 0) {
      const state = await spend.state(client.id);
      if (state.spent >= client.spendPerWindow) client.overSpend = { resetsInMs: state.resetsInMs };
    }
  });

  // Charged once the answer is out: a cache hit caused no vendor call and costs nothing.
  app.addHook('onResponse', (request, _reply, done) => {
    const client = request.client as ClientIdentity | null;
    const outcome = request.outcome;
    if (client && outcome?.attempts && outcome.cache !== 'hit' && outcome.cache !== 'stale') {
      let cost = 0;
      for (const attempt of outcome.attempts) {
        if (isBilled(attempt.outcome)) cost += costPerCall(attempt.provider);
      }
      spend.charge(client.id, cost);
    }
    done();
  });
}

/**
 * What a data request may ask of this client: the capability must be in its scopes, `?provider=` and an X-Priority
 * above normal need the operator scope, and a client over its spend gets only what the cache holds. Throws a 403 or
 * 429 GatewayError naming the reason.
 */
export function authorizeData(
  request: FastifyRequest,
  capability: Capability,
  options: { provider: string | undefined; priority: string },
): void {
  const { client } = request;
  if (!client.scopes.has('data') && !client.scopes.has(capability)) {
    throw new GatewayError('GW_FORBIDDEN', `this key may not ask for ${capability}`);
  }
  if (!client.scopes.has('operator')) {
    if (options.provider !== undefined) {
      throw new GatewayError('GW_FORBIDDEN', 'provider: pinning a vendor needs the operator scope');
    }
    if (options.priority === 'critical' || options.priority === 'high') {
      throw new GatewayError('GW_FORBIDDEN', `x-priority: ${options.priority} needs the operator scope`);
    }
  }
}

/** Marks every route the plugin `app` registers from now on as operator surface. */
export const operatorSurface = (app: FastifyInstance): void => markRoutes(app, 'operator');

/** Marks every route the plugin `app` registers from now on as open to all: no key asked, none charged. */
export const publicSurface = (app: FastifyInstance): void => markRoutes(app, 'public');

function markRoutes(app: FastifyInstance, flag: 'operator' | 'public'): void {
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, [flag]: true };
  });
}

/** Whether this client may skip the cache read (Cache-Control: no-cache): operators only; others are served cached. */
export function mayBypassCache(request: FastifyRequest): boolean {
  return request.client.scopes.has('operator');
}

/** A client over its spend: refused before any vendor is asked. */
export function refuseOverSpend(request: FastifyRequest): void {
  const { client } = request;
  if (!client.overSpend) return;
  throw new GatewayError(
    'GW_CLIENT_RATE_LIMITED',
    `this client has caused ${client.spendPerWindow} of vendor spend in this window; cached answers only until it ends`,
    { retryAfterSeconds: Math.max(1, Math.ceil(client.overSpend.resetsInMs / 1000)) },
  );
}

/** Whether this client may be answered for `capability` (the cache-hit fast path asks before answering). */
export function mayRead(request: FastifyRequest, capability: Capability): boolean {
  const { client } = request;
  return client.scopes.has('data') || client.scopes.has(capability);
}

/**
 * A browser cannot set headers on a WebSocket, but it can offer subprotocols: `new WebSocket(url, ['mdg.v1',
 * 'mdg.key.<key>'])` carries the key in Sec-WebSocket-Protocol, a header, so it stays out of URLs and logs. The
 * server answers with `mdg.v1` only (routes/stream.ts), so the key is never echoed (docs/security.md).
 */
export const keySubprotocolPrefix = 'mdg.key.';

function presentedKey(request: FastifyRequest): string | null {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header.length > 0) return header;
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) return authorization.slice('Bearer '.length).trim() || null;
  const subprotocols = request.headers['sec-websocket-protocol'];
  if (typeof subprotocols === 'string') {
    for (const offered of subprotocols.split(',')) {
      const protocol = offered.trim();
      if (protocol.startsWith(keySubprotocolPrefix)) return protocol.slice(keySubprotocolPrefix.length) || null;
    }
  }
  return null;
}

function unauthorized(reply: FastifyReply, detail: string): GatewayError {
  reply.header('www-authenticate', 'Bearer realm="market-data-gateway"');
  return new GatewayError('GW_UNAUTHORIZED', detail);
}

function isApiDescription(request: FastifyRequest): boolean {
  const url = request.routeOptions.url ?? '';
  return url === '/openapi.json' || url === '/docs' || url.startsWith('/docs/');
}

/**
 * The address a caller is counted under: an IPv4 address as it is, an IPv6 address by its /64 (one subscriber usually
 * holds a whole /64, and could otherwise rotate addresses to dodge the limit).
 */
export function clientAddress(ip: string): string {
  if (!ip.includes(':')) return ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  const [head = '', tail = ''] = ip.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...headParts, ...Array<string>(8 - headParts.length - tailParts.length).fill('0'), ...tailParts]
    : headParts;
  const prefix = groups.slice(0, 4).map((group) => (Number.parseInt(group, 16) || 0).toString(16));
  return `${prefix.join(':')}::/64`;
}
