import WebSocket from 'ws';
import type { StreamChannel, StreamConnectTarget, StreamProtocol, StreamTick } from '../core/index.js';
import { reconnectDelayMs } from './backoff.js';

/**
 * idle: no symbol, no socket. connecting: a socket is being opened (first try, or a retry after `failing`).
 * live: handshake done and subscriptions sent. failing: the socket dropped, went silent or was refused, and is being
 * retried with backoff (or rests after a fatal refusal); it stays `failing` until it is live again.
 */
export type FeedState = 'idle' | 'connecting' | 'live' | 'failing';

/** Why a live feed stopped serving. */
export type FeedFailure = 'dropped' | 'silent' | 'refused';

export interface FeedSettings {
  silenceMs: number;
  upstreamPingMs: number;
  reconnectBaseMs: number;
  reconnectMaxMs: number;
  fatalRestMs: number;
}

export interface VendorFeedListener {
  tick(feed: VendorFeed, tick: StreamTick): void;
  stateChanged(feed: VendorFeed): void;
}

/** Live this long without failing, a connection is trusted again: the next failure retries from the base delay. */
const stableAfterMs = 10_000;

/**
 * One upstream connection to a vendor's streaming API, driven by its StreamProtocol (src/core/stream.ts): open the
 * socket on the protocol's target, send the opening frames, wait for `ready` where the vendor has a handshake, then
 * subscribe every wanted symbol; on a new connection all of them again. Liveness: a WebSocket ping every
 * `upstreamPingMs`; a socket from which nothing (no frame, no pong) came for `silenceMs` is terminated, so a hung
 * vendor is noticed within about a second, not at the TCP timeout. Reconnects back off exponentially with full jitter
 * (backoff.ts); a fatal vendor error (bad key, plan, evicted by another connection) or an upgrade refused with 401,
 * 403 or 429 rests the vendor for `fatalRestMs`. One feed per vendor and URL, so the vendor's limit of connections per
 * key is respected by construction. The feed never logs its target: it may carry the key.
 */
export class VendorFeed {
  private stateNow: FeedState = 'idle';
  private lastFailure: FeedFailure = 'dropped';
  private readonly wanted = new Map<StreamChannel, Set<string>>();
  /** What the live connection is subscribed to: the wanted symbols, up to the vendor's maxSymbolsPerConnection. */
  private readonly carried = new Map<StreamChannel, Set<string>>();
  private socket: WebSocket | null = null;
  private attempt = 0;
  private liveSince = 0;
  private lastHeard = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private livenessTimer: NodeJS.Timeout | undefined;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Frames read, for /metrics. */
  framesIn = 0;

  constructor(
    readonly vendor: string,
    private readonly protocol: StreamProtocol,
    /** The channels this connection carries (one URL may serve several: finnhub's stocks and crypto). */
    readonly channels: readonly StreamChannel[],
    private readonly target: () => StreamConnectTarget & { key: string | undefined },
    private readonly settings: FeedSettings,
    private readonly listener: VendorFeedListener,
    private readonly random: () => number = Math.random,
  ) {}

  get state(): FeedState {
    return this.stateNow;
  }

  /** What made the feed fail last (meaningful while `failing`). */
  get failure(): FeedFailure {
    return this.lastFailure;
  }

  symbols(channel: StreamChannel): ReadonlySet<string> {
    return this.wanted.get(channel) ?? new Set();
  }

  /** A wanted symbol past the vendor's maxSymbolsPerConnection, which the live connection does not carry. */
  isOverflow(channel: StreamChannel, symbol: string): boolean {
    return this.stateNow === 'live' && this.wanted.get(channel)?.has(symbol) === true && !this.carries(channel, symbol);
  }

  /** The wanted symbols of `channel` the live connection does not carry (none unless the vendor caps a connection). */
  overflow(channel: StreamChannel): string[] {
    if (this.stateNow !== 'live') return [];
    return [...(this.wanted.get(channel) ?? [])].filter((symbol) => !this.carries(channel, symbol));
  }

  add(channel: StreamChannel, symbols: readonly string[]): void {
    const set = this.wanted.get(channel) ?? new Set<string>();
    this.wanted.set(channel, set);
    const added = symbols.filter((symbol) => !set.has(symbol));
    for (const symbol of added) set.add(symbol);
    if (added.length === 0) return;
    if (this.stateNow === 'live') this.carryChanged(this.carryMore());
    else if (this.stateNow === 'idle') this.connect();
  }

  remove(channel: StreamChannel, symbols: readonly string[]): void {
    const set = this.wanted.get(channel);
    if (!set) return;
    const removed = symbols.filter((symbol) => set.delete(symbol));
    const dropped = removed.filter((symbol) => this.carried.get(channel)?.delete(symbol));
    if (dropped.length > 0 && this.stateNow === 'live') {
      this.sendAll(this.protocol.unsubscribeMessages(channel, dropped));
      this.carryChanged(this.carryMore() || dropped.length > 0);
    }
    if (this.wantedCount() === 0) this.goIdle();
  }

  close(): void {
    this.stopped = true;
    this.goIdle();
  }

  private wantedCount(): number {
    let count = 0;
    for (const set of this.wanted.values()) count += set.size;
    return count;
  }

  private connect(): void {
    if (this.stopped || this.wantedCount() === 0) return;
    if (this.stateNow !== 'failing') this.setState('connecting');
    const { url, headers, key } = this.target();
    let refusedStatus: number | undefined;
    const socket = new WebSocket(url, {
      headers: headers ?? {},
      handshakeTimeout: this.settings.silenceMs * 2,
      perMessageDeflate: false,
    });
    this.socket = socket;
    this.lastHeard = Date.now();
    socket.on('unexpected-response', (_request, response) => {
      refusedStatus = response.statusCode;
      response.resume();
      socket.terminate();
    });
    socket.on('open', () => {
      this.lastHeard = Date.now();
      this.sendAll(this.protocol.openingMessages(key));
      if (!this.protocol.awaitsReady) this.goLive();
    });
    socket.on('message', (data, isBinary) => {
      this.lastHeard = Date.now();
      if (isBinary) return;
      this.framesIn += 1;
      this.read(rawText(data));
    });
    socket.on('pong', () => {
      this.lastHeard = Date.now();
    });
    socket.on('error', () => undefined); // 'close' follows and decides
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      const refused = refusedStatus === 401 || refusedStatus === 403 || refusedStatus === 429;
      this.fail(refused ? 'refused' : 'dropped', refused ? 'rest' : 'backoff');
    });
    this.startLiveness(socket);
  }

  private read(text: string): void {
    const channel = this.channels[0] as StreamChannel;
    for (const frame of this.protocol.parse(text, channel)) {
      if (frame.kind === 'tick') {
        if (this.stateNow === 'live' && this.carries(frame.tick.channel, frame.tick.symbol)) {
          this.listener.tick(this, frame.tick);
        }
      } else if (frame.kind === 'ready') {
        if (this.stateNow !== 'live') this.goLive();
      } else if (frame.kind === 'error' && frame.fatal) {
        this.fail('refused', 'rest');
        return;
      } else if (frame.kind === 'reconnect') {
        // A planned restart (coinapi): nothing is wrong with the key or the symbols, so reconnect now, no backoff.
        this.fail('dropped', 'now');
        return;
      }
    }
  }

  private goLive(): void {
    this.liveSince = Date.now();
    const { keepAlive } = this.protocol;
    if (keepAlive) {
      // A vendor that closes quiet clients (twelvedata) gets its heartbeat frame on its own period.
      clearInterval(this.keepAliveTimer);
      this.keepAliveTimer = setInterval(() => this.sendAll([keepAlive.message]), keepAlive.everyMs);
      this.keepAliveTimer.unref();
    }
    this.carried.clear();
    this.carryMore();
    this.setState('live');
  }

  private carries(channel: StreamChannel, symbol: string): boolean {
    return this.carried.get(channel)?.has(symbol) === true;
  }

  /**
   * Subscribes wanted symbols the connection does not carry yet, up to the vendor's cap (finnhub: 50 a connection);
   * the rest stay with another source (sources.ts gives them to the poller). True when some are left over.
   */
  private carryMore(): boolean {
    const cap = this.protocol.maxSymbolsPerConnection ?? Number.POSITIVE_INFINITY;
    let count = 0;
    for (const set of this.carried.values()) count += set.size;
    let leftOver = false;
    for (const [channel, wanted] of this.wanted) {
      const carried = this.carried.get(channel) ?? new Set<string>();
      this.carried.set(channel, carried);
      const more: string[] = [];
      for (const symbol of wanted) {
        if (carried.has(symbol)) continue;
        if (count >= cap) {
          leftOver = true;
          break;
        }
        carried.add(symbol);
        more.push(symbol);
        count += 1;
      }
      if (more.length > 0) this.sendAll(this.protocol.subscribeMessages(channel, more));
    }
    return leftOver;
  }

  /** Where a cap leaves symbols over, the sources must hear of each change to hand them to the poller. */
  private carryChanged(overflowMayHaveChanged: boolean): void {
    if (overflowMayHaveChanged && this.protocol.maxSymbolsPerConnection !== undefined) this.listener.stateChanged(this);
  }

  private startLiveness(socket: WebSocket): void {
    clearInterval(this.livenessTimer);
    this.livenessTimer = setInterval(() => {
      if (this.socket !== socket) return;
      const now = Date.now();
      if (now - this.lastHeard > this.settings.silenceMs) {
        this.socket = null;
        socket.terminate();
        this.fail('silent', 'backoff');
        return;
      }
      if (this.stateNow === 'live' && now - this.liveSince > stableAfterMs) this.attempt = 0;
      if (socket.readyState === WebSocket.OPEN) socket.ping();
    }, this.settings.upstreamPingMs);
    this.livenessTimer.unref();
  }

  /** Drops the socket and retries: after the backoff, at once (a planned restart), or after the fatal rest. */
  private fail(failure: FeedFailure, retry: 'backoff' | 'now' | 'rest'): void {
    this.carried.clear();
    clearInterval(this.livenessTimer);
    clearInterval(this.keepAliveTimer);
    const socket = this.socket;
    this.socket = null;
    socket?.terminate();
    if (this.stopped || this.wantedCount() === 0) {
      this.goIdle();
      return;
    }
    this.lastFailure = failure;
    const delay =
      retry === 'rest'
        ? this.settings.fatalRestMs
        : retry === 'now'
          ? 0
          : reconnectDelayMs(this.attempt, this.settings.reconnectBaseMs, this.settings.reconnectMaxMs, this.random);
    if (retry === 'backoff') this.attempt += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
    this.retryTimer.unref();
    this.setState('failing');
  }

  private goIdle(): void {
    this.carried.clear();
    clearTimeout(this.retryTimer);
    clearInterval(this.livenessTimer);
    clearInterval(this.keepAliveTimer);
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000);
    this.setState('idle');
  }

  private sendAll(frames: readonly string[]): void {
    const socket = this.socket;
    if (socket?.readyState !== WebSocket.OPEN) return;
    for (const frame of frames) socket.send(frame);
  }

  private setState(state: FeedState): void {
    if (this.stateNow === state) return;
    this.stateNow = state;
    this.listener.stateChanged(this);
  }
}

function rawText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
