import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

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

/**
 * Security headers on every response (@fastify/helmet, helmet's defaults but for the CSP above, X-Frame-Options DENY
 * to match `frame-ancestors 'none'`, and HSTS without includeSubDomains, which would bind every subdomain of the
 * gateway's host). Its hooks are onRequest hooks registered before any other, so they run before the client rate
 * limit, load shedding, and the preParsing fast path of cached answers: a 429, a 503, a 404 and a fast cache hit carry
 * the same headers as any answer (docs/security.md#hardening).
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy,
    frameguard: { action: 'deny' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
  });
}
