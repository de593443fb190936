import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { GatewayConfig } from '../../config/schema.js';

/**
 * What a browser script on an allowed origin may read of an answer, beyond the CORS-safelisted headers: the answer's
 * provenance, and the client rate limit's draft-spec headers.
 */
export const exposedHeaders = [
  'X-Provider',
  'X-Cache',
  'X-Request-Id',
  'Retry-After',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
];

/** Request headers a browser script may send: its key, queue priority, the cache bypass and its own request id. */
export const allowedHeaders = ['X-API-Key', 'Authorization', 'X-Priority', 'Cache-Control', 'X-Request-Id'];

/**
 * Cross-origin access for browser frontends, from an allowlist (`server.cors.origins`). An empty list registers
 * nothing: no Access-Control-* header is ever sent, and a preflight is refused as any OPTIONS request is (404 or 405
 * problem+json). `*` must be asked for explicitly. An origin not on the list gets no CORS headers (its preflight is
 * refused likewise), so its browser withholds the answer from the page; non-browser clients are unaffected either
 * way. No credentials: clients authenticate with headers, never cookies. Registered before the client rate limit and
 * authentication, so a preflight (which a browser sends without the key) is answered before either asks for one.
 */
export async function registerCors(app: FastifyInstance, settings: GatewayConfig['server']['cors']): Promise<void> {
  if (settings.origins.length === 0) return;
  const anyOrigin = settings.origins.includes('*');
  const allowed = new Set(settings.origins);
  await app.register(cors, {
    // A function, not the list: @fastify/cors answers a preflight from an origin off an array list with 204 and its
    // Allow-* headers (only Access-Control-Allow-Origin missing); `false` skips CORS for that request altogether.
    origin: anyOrigin ? '*' : (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'HEAD'],
    allowedHeaders,
    exposedHeaders,
    credentials: false,
    maxAge: settings.maxAgeSeconds,
    // An OPTIONS from an allowed origin without Access-Control-Request-Method is not a preflight: answer it as one
    // anyway (204) rather than with @fastify/cors's text/plain 400, which is no problem+json.
    strictPreflight: false,
  });
}
