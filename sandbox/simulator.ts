import type { Socket } from 'node:net';
import Fastify from 'fastify';
import { healthyFault, type Fault } from './faults.js';
import type { SimulatorReply, SimulatorRequest } from './simulator-messages.js';
import { startFeed, type FeedOptions, type RunningFeed, type SimulatorStream } from './stream-feed.js';

export type { SimulatorReply, SimulatorRequest } from './simulator-messages.js';

export interface SimulatorRoute {
  /** A Fastify path pattern with the vendor's real path (`/v2/aggs/ticker/:ticker/prev`). */
  path: string;
  handle(request: SimulatorRequest): SimulatorReply;
}

/** What makes a simulator speak like one vendor: its paths, payloads, key check and error bodies. */
export interface SimulatorDefinition {
  vendor: string;
  routes: SimulatorRoute[];
  /** The vendor's reply to a missing key, or null when the key is where the vendor expects it. */
  authorize(request: SimulatorRequest): SimulatorReply | null;
  /** The vendor's own 5xx body, for the `error` fault. */
  errorReply(): SimulatorReply;
  /** The vendor's own 429 with its reset hint, for the `rate-limited` fault. */
  rateLimitedReply(nowMs: number): SimulatorReply;
  /** The vendor's WebSocket feed, served on the same port, where the vendor streams. */
  stream?: SimulatorStream;
}

export interface RunningSimulator {
  readonly vendor: string;
  readonly url: string;
  readonly fault: Fault;
  /** Requests that reached a route (faults included), for tests that count vendor calls. */
  readonly requestCount: number;
  /** The WebSocket feed, for a definition that has a `stream`. */
  readonly stream?: RunningFeed;
  /** Acts on the REST routes and on the feed's open connections alike. */
  setFault(fault: Fault): void;
  close(): Promise<void>;
}

/** The body served by the `malformed` fault: cut-off JSON, as from a proxy that dropped the connection mid-body. */
const malformedBody = '{"status":"OK","results":[{"o":';

export async function startSimulator(
  definition: SimulatorDefinition,
  options: { host?: string; port?: number; clock?: () => number; stream?: FeedOptions } = {},
): Promise<RunningSimulator> {
  const clock = options.clock ?? Date.now;
  let fault: Fault = healthyFault;
  let requestCount = 0;
  const app = Fastify({ logger: false, forceCloseConnections: true });

  // `refuse` drops every new connection at once, as a crashed vendor behind a load balancer would.
  app.server.on('connection', (socket: Socket) => {
    if (fault.mode === 'refuse') socket.destroy();
  });

  for (const route of definition.routes) {
    app.get(route.path, async (request, reply) => {
      requestCount += 1;
      const simulated: SimulatorRequest = {
        params: request.params as Record<string, string>,
        query: request.query as Record<string, string | undefined>,
        headers: request.headers,
        nowMs: clock(),
      };
      const current = fault;
      if (current.mode === 'hang') {
        // Never answer; the socket is closed when the client gives up or the simulator stops.
        return reply.hijack();
      }
      if (current.mode === 'slow') await new Promise((resolve) => setTimeout(resolve, current.delayMs));
      if (current.mode === 'malformed') return reply.code(200).type('application/json').send(malformedBody);
      const answer =
        definition.authorize(simulated) ??
        (current.mode === 'error'
          ? definition.errorReply()
          : current.mode === 'rate-limited'
            ? definition.rateLimitedReply(simulated.nowMs)
            : route.handle(simulated));
      return reply
        .code(answer.status)
        .headers(answer.headers ?? {})
        .type('application/json')
        .send(JSON.stringify(answer.body));
    });
  }

  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  const feed = definition.stream
    ? startFeed(app.server, definition.stream, { baseUrl: url, clock, fault: () => fault }, options.stream)
    : undefined;

  return {
    vendor: definition.vendor,
    url,
    ...(feed ? { stream: feed } : {}),
    get fault() {
      return fault;
    },
    get requestCount() {
      return requestCount;
    },
    setFault(next) {
      fault = next;
      if (next.mode === 'refuse') app.server.closeAllConnections();
      feed?.applyFault(next);
    },
    async close() {
      // Upgraded sockets are no longer the HTTP server's: the feed closes its own before the server waits for them.
      feed?.close();
      await app.close();
    },
  };
}

export function okReply(body: unknown): SimulatorReply {
  return { status: 200, body };
}

/**
 * An `authorize` for a vendor that takes its key in any of these query parameters or headers; `missing` is its answer
 * without one.
 */
export function keyRequiredIn(
  queryNames: string[],
  headerNames: string[],
  missing: SimulatorReply,
): SimulatorDefinition['authorize'] {
  return (request) => (keyFrom(request, queryNames, headerNames) ? null : missing);
}

/** Reads a key from the query or a header, for simulators' `authorize`. */
export function keyFrom(request: SimulatorRequest, queryNames: string[], headerNames: string[]): string | undefined {
  for (const name of queryNames) {
    const value = request.query[name];
    if (value) return value;
  }
  for (const name of headerNames) {
    const value = request.headers[name.toLowerCase()];
    if (typeof value === 'string' && value) return value;
  }
  return undefined;
}

/**
 * The routes at the root, where the simulator's URL stands in for the vendor's base URL, and again under `basePath`,
 * the base URL's own path (`/v2` of https://newsapi.org/v2), for callers that point at the simulator as the host.
 */
export function servedAlsoUnder(basePath: string, routes: readonly SimulatorRoute[]): SimulatorRoute[] {
  return [...routes, ...routes.map((route) => ({ ...route, path: `${basePath}${route.path}` }))];
}

/** The topics of a keyword search written `AAPL OR "BRK.B"`, as gnews and newsapi are asked for several tickers. */
export function orQueryTopics(q: string): string[] {
  return q.split(/\s+OR\s+/).map((topic) => topic.replace(/^"|"$/g, ''));
}

/** An instant to the second, without milliseconds: "2026-11-24T18:22:41Z", as gnews and newsapi stamp articles. */
export function isoToTheSecond(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The start of the minute after `nowMs`: when a per-minute quota refills. */
export function nextMinuteMs(nowMs: number): number {
  return Math.ceil((nowMs + 1) / 60_000) * 60_000;
}
