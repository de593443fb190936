import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';

/**
 * The one inline style Swagger UI uses: the `<style>` element inside its top bar's SVG logo
 * (swagger-ui-standalone-preset.js). Allowed by its hash, not by 'unsafe-inline'; a test recomputes it from the
 * installed @fastify/swagger-ui, so an upgrade that changes it fails there rather than in a browser.
 */
export const swaggerUiLogoStyleHash = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";

/**
 * One Content-Security-Policy for every response: JSON answers, problem+json, Swagger UI at /docs and the pages the
 * gateway may serve from its own origin (a dashboard reading /v1/events over EventSource). Everything comes from this
 * origin: Swagger UI's HTML loads its scripts and styles from /docs/static (no inline script), fetches /docs/json, and
 * its stylesheet's icons are data: URIs. Nothing may frame the gateway. `upgrade-insecure-requests` is left out: on a
 * plain-HTTP listener (the demo, a backend reached behind a TLS-terminating proxy) it would make browsers fetch the
 * assets of /docs over https, where nothing answers.
 */
export const contentSecurityPolicy = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    connectSrc: ["'self'"],
    fontSrc: ["'self'", 'data:'],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    imgSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'", swaggerUiLogoStyleHash],
  },
};

/** helmet's defaults but for the CSP above, X-Frame-Options DENY to match `frame-ancestors 'none'`, and HSTS without
 * includeSubDomains, which would bind every subdomain of the gateway's host. */
export const helmetOptions: FastifyHelmetOptions = {
  contentSecurityPolicy,
  frameguard: { action: 'deny' },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
};

/**
 * The headers @fastify/helmet sets with these options, read once from a throwaway Fastify instance: they depend on
 * the options alone (no CSP nonces), so every response can get the same values without running helmet again.
 */
export async function helmetHeaders(options: FastifyHelmetOptions = helmetOptions): Promise<Record<string, string>> {
  const probe = Fastify();
  await probe.register(helmet, { ...options, global: true });
  let headers: Record<string, string> = {};
  probe.get('/', (_request, reply) => {
    headers = Object.fromEntries(Object.entries(reply.raw.getHeaders()).map(([name, value]) => [name, String(value)]));
    return reply.send('');
  });
  await probe.inject({ method: 'GET', url: '/' });
  await probe.close();
  return headers;
}

/**
 * Security headers on every response: helmet's (above), set by one onRequest hook registered before any other, so it
 * runs before the client rate limit, load shedding, and the preParsing fast path of cached answers: a 429, a 503, a
 * 404 and a fast cache hit carry the same headers as any answer (docs/security.md#hardening).
 *
 * Not @fastify/helmet's own hooks on the app: they build helmet's middleware anew on every request, behind an async
 * hook. Measured with `npm run bench` (scenario c), they took a cache hit from 80 to 122 µs of CPU and from 12 832 to
 * 8 870 req/s; the same headers set from this precomputed object cost nothing measurable beside the machine's noise.
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  // No cache may keep an answer unless it says so itself: data answers set their own Cache-Control (http/respond.ts);
  // errors, operator routes and streams keep this one.
  const headers = { ...(await helmetHeaders()), 'cache-control': 'no-store' };
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
