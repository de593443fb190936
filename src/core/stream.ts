/**
 * The contract between a vendor's streaming API (providers/NAME/stream.ts) and the streaming engine (src/stream).
 *
 * A protocol is data and pure functions: where to connect, what to send, how to read a frame. The engine owns the
 * socket, timers, reconnects with backoff, silence detection and failover, so every vendor gets the same behaviour.
 * A vendor stream gives trades or prices, not whole quotes: the engine merges each tick into the last REST answer
 * (seeded through the data service) so subscribers receive the same models as the REST API.
 */

/** Channels a client subscribes to on /v1/stream. */
export const streamChannels = ['stocks.quote', 'crypto.price'] as const;
export type StreamChannel = (typeof streamChannels)[number];

/** One price update from a vendor stream, in canonical symbols (AAPL, BRK.B; BTC priced in USD). */
export interface StreamTick {
  channel: StreamChannel;
  symbol: string;
  price: number;
  /** Size of this trade; null for a price-only update (finnhub `v` 0, coinapi size 0, an exchange-rate frame). */
  size: number | null;
  /** The vendor's event time. */
  at: Date;
}

/** What one text frame from the vendor means. */
export type StreamFrame =
  | { kind: 'tick'; tick: StreamTick }
  /** The handshake is done (polygon's auth_success); subscriptions may be sent. */
  | { kind: 'ready' }
  /** A vendor keep-alive (finnhub `ping`, coinapi `hearbeat`): proves the link is alive, carries no data. */
  | { kind: 'heartbeat' }
  /**
   * A vendor error. fatal: the vendor will not serve this connection (bad key, plan, evicted by another connection):
   * the engine gives up on it for a while. Not fatal: one symbol was refused; `symbol` names it when known.
   */
  | { kind: 'error'; fatal: boolean; detail: string; symbol?: string }
  /**
   * The vendor will close this connection soon for planned maintenance (coinapi's `reconnect`): open a new one and move
   * the subscriptions before `before`, when the vendor says. Not an error: the key and the symbols are fine, so no
   * backoff is due.
   */
  | { kind: 'reconnect'; detail: string; before?: Date }
  /** A frame the engine can ignore (subscription acks, welcome banners). */
  | { kind: 'ignore' };

/** How to open one connection: the URL and headers the upgrade request carries. Never logged: they may hold the key. */
export interface StreamConnectTarget {
  url: string;
  headers?: Record<string, string>;
}

export interface StreamProtocol {
  /** Channels this vendor streams. */
  channels: readonly StreamChannel[];
  /** The vendor's documentation page for its streaming API. */
  docsUrl: string;
  /** ws(s) URL per channel when the operator sets none (polygon has one cluster per asset class). */
  defaultUrl(channel: StreamChannel): string;
  /** Where the key goes on the upgrade (query or header), from the base URL (default or configured). */
  connectTarget(baseUrl: string, key: string | undefined): StreamConnectTarget;
  /** Frames sent as soon as the socket opens (polygon's auth). Empty when the upgrade carries the key. */
  openingMessages(key: string | undefined): string[];
  /** true: wait for a `ready` frame before subscribing; false: subscribe right after opening. */
  awaitsReady: boolean;
  /** Frames that add symbols to this connection (finnhub takes one symbol a frame). Symbols are canonical. */
  subscribeMessages(channel: StreamChannel, symbols: readonly string[]): string[];
  unsubscribeMessages(channel: StreamChannel, symbols: readonly string[]): string[];
  /** Reads one text frame; a frame may carry several events (polygon sends arrays). Never throws: bad input → error. */
  parse(frame: string, channel: StreamChannel): StreamFrame[];
  /** Symbols the vendor allows on one connection, when it documents a cap. */
  maxSymbolsPerConnection?: number;
  /**
   * A frame the client must send every `everyMs` on a live connection, for a vendor that closes quiet clients
   * (twelvedata's `{"action":"heartbeat"}`). Added with twelvedata; the engine sends it on its own timer.
   */
  keepAlive?: { message: string; everyMs: number };
}
