import { EventEmitter } from 'node:events';
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { StreamChannel } from '../src/core/index.js';
import type { Fault } from './faults.js';
import { isUnknownSymbol, priceAt } from './market.js';
import type { SimulatorReply, SimulatorRequest } from './simulator-messages.js';

/**
 * The WebSocket side of a simulator: one feed per simulated vendor, on the simulator's own port. This file owns the
 * sockets, the tick and heartbeat timers, the counters and the faults; the vendor's simulator file says only what its
 * frames look like (`SimulatorStream`). Prices come from market.ts, so a tick and a REST quote at the same instant agree.
 */

/** A symbol a connection is subscribed to, in canonical form (AAPL, BRK.B; BTC priced in USD). */
export interface FeedSymbol {
  channel: StreamChannel;
  symbol: string;
}

/** One trade the feed sends: the vendor's `tradeFrames` dresses it in its own format and picks a size. */
export interface FeedTrade extends FeedSymbol {
  price: number;
  atMs: number;
}

/** What the vendor does with the client's frame (or with a new connection): answer, change the session, close. */
export interface FeedReply {
  send?: string[];
  /** The client proved its key in a frame (polygon's auth): ticks may flow. */
  authenticated?: boolean;
  subscribe?: FeedSymbol[];
  unsubscribe?: FeedSymbol[];
  /** The client opted in to (or out of) heartbeats, as coinapi's `heartbeat` field does. */
  heartbeats?: boolean;
  /** Close after sending, with this WebSocket close code (auth_failed, coinapi's errors). */
  close?: { code: number; reason: string };
}

/** What a connection looks like to the vendor's frame handlers. */
export interface FeedSession {
  /** The channels served on the path the client connected to. */
  readonly channels: readonly StreamChannel[];
  readonly authenticated: boolean;
  /** Canonical symbols this connection is subscribed to. */
  readonly symbols: readonly string[];
}

/** What makes a feed speak like one vendor: its paths, key check, frames and keep-alives. */
export interface SimulatorStream {
  /** Upgrade paths and the channels each serves (`/stocks`, `/crypto` for polygon's clusters). */
  paths: Readonly<Record<string, readonly StreamChannel[]>>;
  /** An HTTP refusal of the upgrade (finnhub without `?token=`), or null to accept it. */
  refuseUpgrade?(request: SimulatorRequest): SimulatorReply | null;
  /**
   * A new connection: what the vendor sends first and whether the upgrade already proved the key. A vendor that
   * refuses in a frame (coinapi's error) answers with `close`.
   */
  open(request: SimulatorRequest): FeedReply;
  /** One text frame from the client. */
  receive(text: string, session: FeedSession): FeedReply;
  /** One round of trades for one connection, as the vendor's frames (finnhub batches them, polygon sends an array). */
  tradeFrames(trades: readonly FeedTrade[]): string[];
  /** The vendor's keep-alive frame and how often it comes; `optIn` when the client must ask for it (coinapi). */
  heartbeat?: { frame: string; everyMs: number; optIn: boolean };
  /** The vendor's own frames for the error and rate-limited faults, sent before it closes the connection. */
  faultReply(mode: 'error' | 'rate-limited'): FeedReply;
}

export interface FeedOptions {
  /** How often every subscribed symbol gets a trade. Tests that call `tickNow()` set it high. */
  tickIntervalMs?: number;
  /** Overrides the vendor's heartbeat period (finnhub pings every minute or so), for tests. */
  heartbeatIntervalMs?: number;
  /**
   * Connections the vendor allows at once (polygon and finnhub allow one per key): a newer connection evicts the oldest
   * with the vendor's rate-limited frame (polygon's `max_connections`). Unlimited by default, so tests and the demo can
   * open as many as they like.
   */
  maxConnections?: number;
}

/** What tests (and the engine's tests) read and drive. */
export interface RunningFeed {
  /** The channels the feed streams. */
  readonly channels: readonly StreamChannel[];
  /** The ws:// URL of the channel's path, keyless: the protocol's `connectTarget` adds the key. */
  url(channel: StreamChannel): string;
  readonly openConnections: number;
  /** Connections subscribed to each symbol right now; a symbol nobody wants is absent. */
  readonly subscriptions: ReadonlyMap<string, number>;
  /** Text frames sent to clients since the start, every kind included. */
  readonly framesSent: number;
  /** One round of trades now, for every subscribed symbol of every live connection. */
  tickNow(): void;
  /** Resolves once `condition` holds, checked after every change of a counter. */
  until(condition: () => boolean): Promise<void>;
}

export const defaultTickIntervalMs = 250;

/** The frame served by the `malformed` fault in place of trades: cut-off JSON. */
const malformedFrame = '[{"ev":"T","sym":';

interface Connection {
  socket: WebSocket;
  tcp: Duplex;
  channels: readonly StreamChannel[];
  authenticated: boolean;
  heartbeats: boolean;
  symbols: Map<string, StreamChannel>;
}

/** A path without its trailing slash, so `/v1/` and `/v1` name the same feed as at the vendor. */
const withoutTrailingSlash = (path: string) => (path.length > 1 ? path.replace(/\/+$/, '') : path);

function simulatorRequestOf(request: IncomingMessage, nowMs: number): SimulatorRequest {
  const url = new URL(request.url ?? '/', 'http://localhost');
  return { params: {}, query: Object.fromEntries(url.searchParams), headers: request.headers, nowMs };
}

function refuseHandshake(tcp: Duplex, reply: SimulatorReply) {
  const body = JSON.stringify(reply.body);
  tcp.end(
    `HTTP/1.1 ${reply.status} ${STATUS_CODES[reply.status] ?? 'Refused'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

/** Serves `stream` on `server`'s upgrade requests until `close`. `fault` is read at every step. */
export function startFeed(
  server: Server,
  stream: SimulatorStream,
  context: { baseUrl: string; clock: () => number; fault: () => Fault },
  options: FeedOptions = {},
): RunningFeed & { applyFault(fault: Fault): void; close(): void } {
  const sockets = new WebSocketServer({ noServer: true });
  const connections = new Set<Connection>();
  // Upgrades left unanswered by the `hang` fault; destroyed when it ends or the simulator stops.
  const heldUpgrades = new Set<Duplex>();
  const changes = new EventEmitter();
  // Every pending `until` is a listener; a test may hold many at once.
  changes.setMaxListeners(0);
  const subscriptions = new Map<string, number>();
  let framesSent = 0;

  const changed = () => changes.emit('change');
  const silent = () => ['hang', 'refuse', 'error', 'rate-limited'].includes(context.fault().mode);

  const send = (connection: Connection, frames: readonly string[]) => {
    for (const frame of frames) {
      if (connection.socket.readyState !== connection.socket.OPEN) return;
      connection.socket.send(frame);
      framesSent += 1;
    }
    if (frames.length > 0) changed();
  };

  const countSubscriber = (symbol: string, delta: 1 | -1) => {
    const count = (subscriptions.get(symbol) ?? 0) + delta;
    if (count > 0) subscriptions.set(symbol, count);
    else subscriptions.delete(symbol);
  };

  const apply = (connection: Connection, reply: FeedReply) => {
    if (reply.authenticated !== undefined) connection.authenticated = reply.authenticated;
    if (reply.heartbeats !== undefined) connection.heartbeats = reply.heartbeats;
    for (const { channel, symbol } of reply.subscribe ?? []) {
      if (connection.symbols.has(symbol)) continue;
      connection.symbols.set(symbol, channel);
      countSubscriber(symbol, 1);
    }
    for (const { symbol } of reply.unsubscribe ?? []) {
      if (connection.symbols.delete(symbol)) countSubscriber(symbol, -1);
    }
    send(connection, reply.send ?? []);
    if (reply.close) connection.socket.close(reply.close.code, reply.close.reason);
    changed();
  };

  const forget = (connection: Connection) => {
    if (!connections.delete(connection)) return;
    for (const symbol of connection.symbols.keys()) countSubscriber(symbol, -1);
    connection.symbols.clear();
    changed();
  };

  const accept = (request: IncomingMessage, tcp: Duplex, head: Buffer, channels: readonly StreamChannel[]) => {
    sockets.handleUpgrade(request, tcp, head, (socket) => {
      const connection: Connection = {
        socket,
        tcp,
        channels,
        authenticated: false,
        heartbeats: !stream.heartbeat?.optIn,
        symbols: new Map(),
      };
      connections.add(connection);
      const [oldest] = connections;
      if (oldest && connections.size > (options.maxConnections ?? Number.POSITIVE_INFINITY)) {
        apply(oldest, stream.faultReply('rate-limited'));
      }
      socket.on('close', () => forget(connection));
      socket.on('error', () => forget(connection));
      const mode = context.fault().mode;
      if (mode === 'error' || mode === 'rate-limited') return apply(connection, stream.faultReply(mode));
      socket.on('message', (data, isBinary) => {
        if (silent() || isBinary) return;
        const session: FeedSession = {
          channels,
          authenticated: connection.authenticated,
          symbols: [...connection.symbols.keys()],
        };
        apply(connection, stream.receive(data.toString(), session));
      });
      apply(connection, stream.open(simulatorRequestOf(request, context.clock())));
    });
  };

  server.on('upgrade', (request: IncomingMessage, tcp: Duplex, head: Buffer) => {
    tcp.on('error', () => tcp.destroy());
    const mode = context.fault().mode;
    // `refuse` is handled by the simulator's connection hook; `hang` accepts the TCP connection and never answers.
    if (mode === 'hang') {
      heldUpgrades.add(tcp);
      tcp.on('close', () => heldUpgrades.delete(tcp));
      return;
    }
    const path = withoutTrailingSlash(new URL(request.url ?? '/', 'http://localhost').pathname);
    const channels = Object.entries(stream.paths).find(([served]) => withoutTrailingSlash(served) === path)?.[1];
    if (!channels) return refuseHandshake(tcp, { status: 404, body: { error: 'Not found' } });
    const refusal = stream.refuseUpgrade?.(simulatorRequestOf(request, context.clock()));
    if (refusal) return refuseHandshake(tcp, refusal);
    accept(request, tcp, head, channels);
  });

  const tickNow = () => {
    if (silent()) return;
    const nowMs = context.clock();
    for (const connection of connections) {
      if (!connection.authenticated || connection.symbols.size === 0) continue;
      if (context.fault().mode === 'malformed') {
        send(connection, [malformedFrame]);
        continue;
      }
      // Unknown symbols (market.ts's ZZZ convention) never trade, as an unlisted ticker would not.
      const trades = [...connection.symbols]
        .filter(([symbol]) => !isUnknownSymbol(symbol))
        .map(([symbol, channel]) => ({ channel, symbol, price: priceAt(symbol, nowMs), atMs: nowMs }));
      if (trades.length > 0) send(connection, stream.tradeFrames(trades));
    }
  };

  const heartbeatNow = (frame: string) => {
    if (silent()) return;
    for (const connection of connections) {
      if (connection.authenticated && connection.heartbeats) send(connection, [frame]);
    }
  };

  // Timers are unref'd so a forgotten simulator never keeps a test process alive.
  const tickTimer = setInterval(tickNow, options.tickIntervalMs ?? defaultTickIntervalMs);
  tickTimer.unref();
  const { heartbeat } = stream;
  const heartbeatTimer = heartbeat
    ? setInterval(() => heartbeatNow(heartbeat.frame), options.heartbeatIntervalMs ?? heartbeat.everyMs)
    : undefined;
  heartbeatTimer?.unref();

  const releaseHeldUpgrades = () => {
    for (const tcp of heldUpgrades) tcp.destroy();
    heldUpgrades.clear();
  };

  return {
    channels: [...new Set(Object.values(stream.paths).flat())],
    url(channel) {
      const path = Object.keys(stream.paths).find((candidate) => stream.paths[candidate]?.includes(channel)) ?? '/';
      return `${context.baseUrl.replace(/^http/, 'ws')}${path}`;
    },
    get openConnections() {
      return connections.size;
    },
    get subscriptions() {
      return subscriptions;
    },
    get framesSent() {
      return framesSent;
    },
    tickNow,
    until(condition) {
      return new Promise((resolve) => {
        if (condition()) return resolve();
        const check = () => {
          if (!condition()) return;
          changes.off('change', check);
          resolve();
        };
        changes.on('change', check);
      });
    },
    /** Faults act on open connections too, as a vendor's outage does. */
    applyFault(fault) {
      if (fault.mode !== 'hang') releaseHeldUpgrades();
      for (const connection of connections) {
        if (fault.mode === 'hang') {
          // Stop reading: WebSocket pings go unanswered and the client's frames pile up, as on a stalled link.
          connection.tcp.pause();
        } else if (fault.mode === 'refuse') {
          connection.socket.terminate();
        } else if (fault.mode === 'error' || fault.mode === 'rate-limited') {
          connection.tcp.resume();
          apply(connection, stream.faultReply(fault.mode));
        } else {
          connection.tcp.resume();
        }
      }
    },
    close() {
      clearInterval(tickTimer);
      clearInterval(heartbeatTimer);
      releaseHeldUpgrades();
      for (const connection of connections) connection.socket.terminate();
      sockets.close();
      changes.removeAllListeners();
    },
  };
}
