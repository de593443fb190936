import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { StreamChannel, StreamFrame, StreamProtocol, StreamTick } from '../../src/core/index.js';
import { healthyFault, type FaultMode } from '../../sandbox/faults.js';
import { priceAt } from '../../sandbox/market.js';
import { startSimulator, type RunningSimulator, type SimulatorDefinition } from '../../sandbox/simulator.js';
import type { RunningFeed } from '../../sandbox/stream-feed.js';
import { sandboxKey } from './simulator.js';

/**
 * A plain `ws` client that speaks a vendor through its StreamProtocol only: connectTarget, openingMessages,
 * subscribeMessages and parse. Frames are queued as parsed, so a test awaits the next one it cares about.
 */
export class ProtocolClient {
  private readonly queue: StreamFrame[] = [];
  private readonly waiters: (() => void)[] = [];
  readonly closed: Promise<{ code: number }>;

  private constructor(
    readonly socket: WebSocket,
    private readonly protocol: StreamProtocol,
    private readonly channel: StreamChannel,
  ) {
    socket.on('message', (data) => {
      this.queue.push(...protocol.parse(data.toString(), channel));
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => socket.once('close', (code) => resolve({ code })));
  }

  /** Opens a connection as the engine would, sends the opening frames and, where the vendor wants it, awaits ready. */
  static async connect(
    protocol: StreamProtocol,
    feed: RunningFeed,
    channel: StreamChannel,
    key: string | undefined = sandboxKey,
  ): Promise<ProtocolClient> {
    const target = protocol.connectTarget(feed.url(channel), key);
    const socket = new WebSocket(target.url, { headers: target.headers ?? {} });
    const client = new ProtocolClient(socket, protocol, channel);
    await once(socket, 'open');
    for (const message of protocol.openingMessages(key)) socket.send(message);
    if (protocol.awaitsReady) await client.next((frame) => frame.kind === 'ready');
    return client;
  }

  subscribe(symbols: readonly string[]) {
    for (const message of this.protocol.subscribeMessages(this.channel, symbols)) this.socket.send(message);
  }

  unsubscribe(symbols: readonly string[]) {
    for (const message of this.protocol.unsubscribeMessages(this.channel, symbols)) this.socket.send(message);
  }

  /** The next frame (from the queue first) that `matches`; frames before it are dropped. */
  async next(matches: (frame: StreamFrame) => boolean): Promise<StreamFrame> {
    for (;;) {
      const index = this.queue.findIndex(matches);
      if (index >= 0) {
        const [frame] = this.queue.splice(0, index + 1).slice(-1);
        if (frame) return frame;
      }
      this.queue.length = 0;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** The next `count` ticks, other frames (heartbeats, acks) skipped. */
  async ticks(count: number): Promise<StreamTick[]> {
    const ticks: StreamTick[] = [];
    while (ticks.length < count) {
      const frame = await this.next((candidate) => candidate.kind === 'tick');
      if (frame.kind === 'tick') ticks.push(frame.tick);
    }
    return ticks;
  }

  close() {
    this.socket.terminate();
  }
}

/** The next `count` text frames `socket` receives, unparsed, for tests of a vendor's exact wording. */
export function rawMessages(socket: WebSocket, count: number): Promise<string[]> {
  const texts: string[] = [];
  return new Promise((resolve) => {
    const collect = (data: WebSocket.RawData) => {
      texts.push(data.toString());
      if (texts.length < count) return;
      socket.off('message', collect);
      resolve(texts);
    };
    socket.on('message', collect);
  });
}

/** What each vendor's simulator feed is checked with. */
export interface StreamSimulatorCases {
  channel: StreamChannel;
  /** Two symbols the vendor streams on `channel`. */
  symbols: readonly [string, string];
  /** How the vendor answers a connection without a key: an HTTP status on the upgrade, or a frame then a close. */
  withoutKey: { upgradeStatus: number } | { frame: StreamFrame };
  /** What the protocol makes of the error and rate-limited faults' frame. */
  faultFrame: Partial<StreamFrame>;
}

/** A margin for "nothing arrives": generous, since two cores are shared by several test runs. */
const silenceMs = 300;

/** Resolves with 'silent' when `promise` has not settled within `ms`. */
function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<T | 'silent'> {
  return Promise.race([promise, new Promise<'silent'>((resolve) => setTimeout(() => resolve('silent'), ms).unref())]);
}

/**
 * The checks every simulated feed shares, through the vendor's own protocol: ticks for exactly the subscribed symbols
 * at market.ts's prices, counters that follow subscriptions and connections, the vendor's answer to a missing key, and
 * each fault acting on open connections and new ones. Returns the running simulator for vendor-specific tests.
 */
export function streamSimulatorConformance(
  protocol: StreamProtocol,
  definition: SimulatorDefinition,
  cases: StreamSimulatorCases,
): { readonly sim: RunningSimulator; readonly feed: RunningFeed } {
  let running: RunningSimulator | undefined;
  const clients: ProtocolClient[] = [];
  // Ticks only when a test asks (tickNow), so every assertion sees a known number of rounds.
  beforeAll(async () => {
    running = await startSimulator(definition, { stream: { tickIntervalMs: 3_600_000 } });
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    running?.setFault(healthyFault);
    await feed().until(() => feed().openConnections === 0);
  });
  afterAll(async () => {
    await running?.close();
  });
  const sim = () => {
    if (!running) throw new Error(`the ${definition.vendor} simulator is not running`);
    return running;
  };
  const feed = () => {
    const stream = sim().stream;
    if (!stream) throw new Error(`the ${definition.vendor} simulator has no feed`);
    return stream;
  };
  const connect = async (key?: string) => {
    const client = await ProtocolClient.connect(protocol, feed(), cases.channel, key);
    clients.push(client);
    return client;
  };
  const subscribed = async (symbols: readonly string[]) => {
    const client = await connect();
    client.subscribe(symbols);
    await feed().until(() => symbols.every((symbol) => feed().subscriptions.get(symbol) === 1));
    return client;
  };
  const setFault = (mode: FaultMode) => sim().setFault({ mode, delayMs: 0 });
  const [first, second] = cases.symbols;

  describe(`${definition.vendor} feed`, () => {
    it('streams ticks for exactly the subscribed symbols, at market.ts prices', async () => {
      const client = await subscribed([first, second]);
      expect(feed().openConnections).toBe(1);
      feed().tickNow();
      const ticks = await client.ticks(2);
      expect(ticks.map((tick) => tick.symbol).sort()).toEqual([first, second].sort());
      for (const tick of ticks) {
        expect(tick.channel).toBe(cases.channel);
        expect(tick.price).toBe(priceAt(tick.symbol, tick.at.getTime()));
      }
    });

    it('stops a symbol on unsubscribe and counts subscriptions per symbol across connections', async () => {
      const client = await subscribed([first, second]);
      const other = await connect();
      other.subscribe([first]);
      await feed().until(() => feed().subscriptions.get(first) === 2);
      client.unsubscribe([first]);
      await feed().until(() => feed().subscriptions.get(first) === 1);
      expect(feed().subscriptions.get(second)).toBe(1);
      const framesBefore = feed().framesSent;
      feed().tickNow();
      feed().tickNow();
      expect((await client.ticks(2)).map((tick) => tick.symbol)).toEqual([second, second]);
      expect(feed().framesSent).toBeGreaterThan(framesBefore);
      other.close();
      await feed().until(() => feed().openConnections === 1 && !feed().subscriptions.has(first));
    });

    it('ticks on its own at the configured interval', async () => {
      const quick = await startSimulator(definition, { stream: { tickIntervalMs: 10 } });
      try {
        const quickFeed = quick.stream as RunningFeed;
        const client = await ProtocolClient.connect(protocol, quickFeed, cases.channel);
        client.subscribe([first]);
        expect((await client.ticks(3)).map((tick) => tick.symbol)).toEqual([first, first, first]);
        client.close();
      } finally {
        await quick.close();
      }
    });

    it('evicts the oldest connection with the vendor frame when a connection cap is set', async () => {
      const capped = await startSimulator(definition, { stream: { tickIntervalMs: 3_600_000, maxConnections: 1 } });
      try {
        const cappedFeed = capped.stream as RunningFeed;
        const older = await ProtocolClient.connect(protocol, cappedFeed, cases.channel);
        older.subscribe([first]);
        await cappedFeed.until(() => cappedFeed.subscriptions.get(first) === 1);
        const newer = await ProtocolClient.connect(protocol, cappedFeed, cases.channel);
        expect(await older.next((frame) => frame.kind === 'error')).toMatchObject(cases.faultFrame);
        await older.closed;
        await cappedFeed.until(() => cappedFeed.openConnections === 1 && !cappedFeed.subscriptions.has(first));
        newer.subscribe([second]);
        await cappedFeed.until(() => cappedFeed.subscriptions.get(second) === 1);
        cappedFeed.tickNow();
        expect((await newer.ticks(1))[0]?.symbol).toBe(second);
        newer.close();
      } finally {
        await capped.close();
      }
    });

    it('answers an upgrade on a path the vendor does not serve with 404', async () => {
      const socket = new WebSocket(`${sim().url.replace(/^http/, 'ws')}/no-such-feed`);
      socket.on('error', () => undefined);
      const [, response] = (await once(socket, 'unexpected-response')) as [unknown, { statusCode: number }];
      expect(response.statusCode).toBe(404);
      socket.terminate();
    });

    it('answers a connection without a key as the vendor does', async () => {
      const { withoutKey } = cases;
      if ('upgradeStatus' in withoutKey) {
        const target = protocol.connectTarget(feed().url(cases.channel), undefined);
        const socket = new WebSocket(target.url);
        const [, response] = (await once(socket, 'unexpected-response')) as [unknown, { statusCode: number }];
        expect(response.statusCode).toBe(withoutKey.upgradeStatus);
        // ws reports the aborted handshake as an error; it is the expected end here.
        socket.on('error', () => undefined);
        socket.terminate();
        return;
      }
      const target = protocol.connectTarget(feed().url(cases.channel), undefined);
      const socket = new WebSocket(target.url);
      const frames: StreamFrame[] = [];
      socket.on('message', (data) => frames.push(...protocol.parse(data.toString(), cases.channel)));
      await once(socket, 'open');
      for (const message of protocol.openingMessages(undefined)) socket.send(message);
      await once(socket, 'close');
      expect(frames).toContainEqual(withoutKey.frame);
      expect(feed().subscriptions.size).toBe(0);
    });

    for (const mode of ['error', 'rate-limited'] as const) {
      it(`sends the vendor's error frame and closes, on open and new connections, under ${mode}`, async () => {
        const client = await subscribed([first]);
        setFault(mode);
        expect(await client.next((frame) => frame.kind === 'error')).toMatchObject(cases.faultFrame);
        await client.closed;
        await feed().until(() => feed().openConnections === 0 && feed().subscriptions.size === 0);

        const target = protocol.connectTarget(feed().url(cases.channel), sandboxKey);
        const late = new WebSocket(target.url, { headers: target.headers ?? {} });
        const frames: StreamFrame[] = [];
        late.on('message', (data) => frames.push(...protocol.parse(data.toString(), cases.channel)));
        await once(late, 'close');
        expect(frames).toContainEqual(expect.objectContaining(cases.faultFrame));
      });
    }

    it('goes silent under hang: no ticks, pings unanswered, until healthy again', async () => {
      const client = await subscribed([first]);
      setFault('hang');
      const framesBefore = feed().framesSent;
      feed().tickNow();
      expect(feed().framesSent).toBe(framesBefore);
      const pong = once(client.socket, 'pong');
      client.socket.ping();
      expect(await settlesWithin(pong, silenceMs)).toBe('silent');
      setFault('ok');
      await pong;
      feed().tickNow();
      expect((await client.ticks(1))[0]?.symbol).toBe(first);
    });

    it('leaves a new upgrade unanswered under hang', async () => {
      setFault('hang');
      const target = protocol.connectTarget(feed().url(cases.channel), sandboxKey);
      const socket = new WebSocket(target.url, { headers: target.headers ?? {} });
      socket.on('error', () => undefined);
      expect(await settlesWithin(once(socket, 'open'), silenceMs)).toBe('silent');
      socket.terminate();
    });

    it('closes open connections and refuses new ones under refuse', async () => {
      const client = await subscribed([first]);
      setFault('refuse');
      expect((await client.closed).code).toBe(1006);
      await feed().until(() => feed().openConnections === 0 && feed().subscriptions.size === 0);
      const target = protocol.connectTarget(feed().url(cases.channel), sandboxKey);
      const refused = new WebSocket(target.url, { headers: target.headers ?? {} });
      await once(refused, 'error').catch(() => undefined);
      expect(refused.readyState).not.toBe(WebSocket.OPEN);
      setFault('ok');
      const healthy = await subscribed([first]);
      feed().tickNow();
      expect((await healthy.ticks(1))[0]?.symbol).toBe(first);
    });

    it('sends cut-off frames in place of trades under malformed', async () => {
      const client = await subscribed([first]);
      setFault('malformed');
      feed().tickNow();
      expect(await client.next((frame) => frame.kind === 'error')).toMatchObject({ kind: 'error', fatal: false });
    });
  });

  return {
    get sim() {
      return sim();
    },
    get feed() {
      return feed();
    },
  };
}
