import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ProviderAdapter, StreamChannel, StreamProtocol } from '../../src/core/index.js';

/**
 * A streaming vendor for engine tests: `{"op":"sub","channel","symbol"}` frames in, `{"type":"trade",…}` frames out.
 * It records what each connection subscribed, so a test can count upstream subscriptions per symbol, and can drop
 * its sockets (kill), stop answering altogether (hang: no frame, no pong) or refuse upgrades (refuse).
 */
export const fakeStreamProtocol: StreamProtocol = {
  channels: ['stocks.quote', 'crypto.price'],
  docsUrl: 'https://example.test/stream',
  defaultUrl: () => 'ws://127.0.0.1:9/',
  connectTarget: (baseUrl, key) => ({ url: baseUrl, headers: key ? { 'x-test-key': key } : {} }),
  openingMessages: () => [],
  awaitsReady: false,
  subscribeMessages: (channel, symbols) => symbols.map((symbol) => JSON.stringify({ op: 'sub', channel, symbol })),
  unsubscribeMessages: (channel, symbols) => symbols.map((symbol) => JSON.stringify({ op: 'unsub', channel, symbol })),
  parse(frame) {
    try {
      const message = JSON.parse(frame) as {
        type?: string;
        channel: StreamChannel;
        symbol: string;
        price: number;
        at?: number;
      };
      if (message.type === 'restart') return [{ kind: 'reconnect', detail: 'planned restart' }];
      if (message.type !== 'trade') return [{ kind: 'ignore' }];
      const at = new Date(message.at ?? Date.now());
      const tick = { channel: message.channel, symbol: message.symbol, price: message.price, size: 1, at };
      return [{ kind: 'tick', tick }];
    } catch {
      return [{ kind: 'error', fatal: false, detail: 'not JSON' }];
    }
  },
};

/** An adapter with nothing but the streaming API: REST stays with the sandbox vendors. */
export function fakeStreamingAdapter(name: string, protocol: Partial<StreamProtocol> = {}): ProviderAdapter {
  return {
    name,
    docsUrl: 'https://example.test',
    defaultBaseUrl: 'http://127.0.0.1:9',
    auth: null,
    capabilities: {},
    healthCheck: null,
    classifyFailure: () => null,
    stream: { ...fakeStreamProtocol, ...protocol },
  };
}

export class FakeStreamVendor {
  /** Connections accepted so far. */
  connectionsOpened = 0;
  /** Subscribe frames received, per channel:symbol. */
  readonly subscribeFrames = new Map<string, number>();
  /** Frames received per `op` (sub, unsub, or a protocol's keep-alive). */
  readonly framesByOp = new Map<string, number>();
  private readonly subscribed = new Map<WebSocket, Set<string>>();
  private hung = false;
  private refusal: number | null = null;

  private constructor(private readonly server: WebSocketServer) {
    server.on('connection', (socket) => {
      this.connectionsOpened += 1;
      const topics = new Set<string>();
      this.subscribed.set(socket, topics);
      if (this.hung) rawSocket(socket).pause();
      socket.on('close', () => this.subscribed.delete(socket));
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { op: string; channel: string; symbol: string };
        const topic = `${message.channel}:${message.symbol}`;
        this.framesByOp.set(message.op, (this.framesByOp.get(message.op) ?? 0) + 1);
        if (message.op === 'sub') {
          topics.add(topic);
          this.subscribeFrames.set(topic, (this.subscribeFrames.get(topic) ?? 0) + 1);
        } else if (message.op === 'unsub') topics.delete(topic);
      });
    });
  }

  static async start(): Promise<FakeStreamVendor> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, verifyClient: (_info, done) => done(true) });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const vendor = new FakeStreamVendor(server);
    server.options.verifyClient = (_info, done) =>
      vendor.refusal === null ? done(true) : done(false, vendor.refusal, 'refused');
    return vendor;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  /** Open connections now. */
  get connections(): number {
    return this.subscribed.size;
  }

  /** Connections subscribed to the topic now. */
  subscribers(channel: StreamChannel, symbol: string): number {
    let count = 0;
    for (const topics of this.subscribed.values()) if (topics.has(`${channel}:${symbol}`)) count += 1;
    return count;
  }

  /** Sends a trade to every connection subscribed to the symbol; how many got it. */
  trade(channel: StreamChannel, symbol: string, price: number): number {
    const text = JSON.stringify({ type: 'trade', channel, symbol, price, at: Date.now() });
    let sent = 0;
    for (const [socket, topics] of this.subscribed) {
      if (topics.has(`${channel}:${symbol}`)) {
        socket.send(text);
        sent += 1;
      }
    }
    return sent;
  }

  /** Sends a frame to every connection (a planned-restart notice, say). */
  broadcast(message: object): void {
    for (const socket of this.subscribed.keys()) socket.send(JSON.stringify(message));
  }

  /** Drops every connection at once, as a vendor restart or a network cut would. */
  kill(): void {
    for (const socket of this.subscribed.keys()) socket.terminate();
  }

  /** Every socket, open and future, stops reading: no frame, no pong (a hung vendor or a black-holed route). */
  hang(): void {
    this.hung = true;
    for (const socket of this.subscribed.keys()) rawSocket(socket).pause();
  }

  /** Upgrades are refused with this HTTP status (null: accepted again). */
  refuse(status: number | null): void {
    this.refusal = status;
  }

  async close(): Promise<void> {
    for (const socket of this.subscribed.keys()) socket.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function rawSocket(socket: WebSocket): Socket {
  return (socket as unknown as { _socket: Socket })._socket;
}
