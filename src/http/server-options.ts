import type { ServerOptions } from 'node:http';
import type { GatewayConfig } from '../config/schema.js';

/** The Fastify options that bound what one client may hold of the server, and whose word on its address counts. */
export interface ServerLimits {
  requestTimeout: number;
  keepAliveTimeout: number;
  connectionTimeout: number;
  bodyLimit: number;
  trustProxy: boolean | string[];
  routerOptions: { maxParamLength: number };
  /** Passed to node's http.createServer: this server's own header limit and header timeout. */
  http: ServerOptions;
}

/**
 * Limits from `server.*` (docs/configuration.md#keys, docs/security.md#hardening). `maxHeaderSize` goes to this server
 * through Fastify's `http` option rather than node's `--max-http-header-size`, which would also bound the headers of
 * vendor answers our HTTP client parses, and would need the flag in `npm start`, the Dockerfile and every test run.
 */
export function serverLimits(server: GatewayConfig['server']): ServerLimits {
  return {
    requestTimeout: server.requestTimeoutMs,
    keepAliveTimeout: server.keepAliveTimeoutMs,
    connectionTimeout: server.connectionTimeoutMs,
    bodyLimit: server.bodyLimitBytes,
    // Fastify then reads the client address from X-Forwarded-For, for the open-mode client identity and the log.
    trustProxy: server.trustProxy,
    routerOptions: { maxParamLength: server.maxParamLength },
    http: {
      headersTimeout: server.headersTimeoutMs,
      // Node checks request and header timeouts on this period (default 30 s): a slow client would get up to that
      // much longer than headersTimeoutMs.
      connectionsCheckingInterval: Math.min(1_000, server.headersTimeoutMs),
      maxHeaderSize: server.maxHeaderBytes,
    },
  };
}
