import { defaultTtlMs, type GatewayConfig } from '../config/schema.js';
import type { RouterEventEmitter, StockQuote, StreamChannel, StreamProtocol } from '../core/index.js';
import type { DataRequest, DataService } from '../data/data-service.js';
import type { LiveSnapshot } from '../data/snapshot.js';
import type { RedisConnections } from '../store/redis.js';
import { ClusterTopics } from './cluster.js';
import { StreamHub } from './hub.js';
import { PollerFeed, type PolledModel } from './poller-feed.js';
import { UpstreamSources } from './sources.js';
import { StreamSessions } from './session.js';
import type { SubscriberCounters } from './subscriber.js';
import { channelCapability, streamQuoteCurrency } from './topics.js';
import { VendorFeed, type FeedState } from './vendor-feed.js';

/** Counted as the engine works, read by /metrics (observability/metrics.ts). */
export class StreamStats implements SubscriberCounters {
  delivered = 0;
  conflated = 0;
  slowDisconnects = 0;
  failovers = 0;
  /** Ticks and polled answers accepted, by source (a vendor, or `poller`). */
  readonly received = new Map<string, number>();
}

export interface StreamEngineOptions {
  live: LiveSnapshot;
  data: DataService;
  events: RouterEventEmitter;
  /** With Redis, one upstream subscription per symbol across instances (cluster.ts). */
  redis: RedisConnections | null;
  keyPrefix: string;
  /** This instance's id (the event hub's). */
  instance: string;
}

/** Symbols per stock-quotes read: the REST watchlist's own cap (docs/api.md). */
const pollBatchSize = 50;

/**
 * The streaming engine (docs/streaming.md): the hub subscribers join, the upstream sources per channel (vendor feeds
 * by preference, then the poller) and, with Redis, the cluster leases between them. Built once at start: the stream
 * section is restart-only; a vendor's key and streamUrl are read again at every connect, so a reload reaches them.
 */
export class StreamEngine {
  readonly hub = new StreamHub();
  readonly stats = new StreamStats();
  /** The open client streams and their limits (the HTTP layer opens them). */
  readonly sessions: StreamSessions;
  private readonly sources: UpstreamSources;
  private readonly feeds: VendorFeed[] = [];
  private readonly poller: PollerFeed;
  private readonly cluster: ClusterTopics | null;

  constructor(options: StreamEngineOptions) {
    const { live, data, events, redis } = options;
    const config = live.current.config;
    const settings = config.stream;
    this.sessions = new StreamSessions(this.hub, this.stats, settings);
    const publish = (update: Parameters<StreamHub['publish']>[0]) =>
      this.cluster ? this.cluster.publish(update) : this.hub.publish(update);
    this.sources = new UpstreamSources((channel, symbol) => readSeed(data, channel, symbol), {
      update: publish,
      failover: (event) => {
        this.stats.failovers += 1;
        events.emit('streamFailover', event);
      },
      received: (source) => this.stats.received.set(source, (this.stats.received.get(source) ?? 0) + 1),
    });
    this.poller = new PollerFeed(
      (channel, symbols) => readPoll(data, channel, symbols),
      (channel) => pollIntervalMs(config, channel),
      this.sources,
    );
    const order = new Map<StreamChannel, VendorFeed[]>();
    for (const { vendor, protocol, channels, url } of feedPlan(live)) {
      const feed = new VendorFeed(
        vendor,
        protocol,
        channels,
        () => {
          const vendorConfig = live.current.config.providers[vendor];
          const key = vendorConfig?.apiKey;
          const target = vendorConfig
            ? channelUrl(protocol, channels[0] as StreamChannel, vendorConfig.streamUrl)
            : url;
          return { ...protocol.connectTarget(target, key), key };
        },
        settings,
        this.sources,
      );
      this.feeds.push(feed);
      for (const channel of channels) order.set(channel, [...(order.get(channel) ?? []), feed]);
    }
    for (const [channel, feeds] of order) order.set(channel, ordered(feeds, channel, config));
    this.sources.use(this.poller, order);
    this.cluster = redis
      ? new ClusterTopics(this.sources, this.hub, redis, options.keyPrefix, options.instance, settings.leaseMs)
      : null;
    this.hub.attach(this.cluster ?? this.sources);
  }

  /** Each vendor connection and its state, for /metrics and /v1/providers. */
  feedStates(): { vendor: string; state: FeedState; framesIn: number }[] {
    return this.feeds.map((feed) => ({ vendor: feed.vendor, state: feed.state, framesIn: feed.framesIn }));
  }

  /** The source publishing each followed channel now. */
  activeSources(): Map<StreamChannel, string> {
    return this.sources.activeSources();
  }

  /** Topics this instance leads (with Redis) or follows upstream itself (without). */
  get upstreamTopics(): number {
    return this.cluster ? this.cluster.leading : this.hub.topicCount;
  }

  /** Releases the leases and closes every upstream socket. Subscribers are closed by the HTTP layer first. */
  async close(): Promise<void> {
    this.hub.close();
    await this.cluster?.close();
    for (const feed of this.feeds) feed.close();
    this.poller.close();
  }
}

/** Enabled vendors with a streaming API, one connection per vendor and URL (a URL may carry several channels). */
function feedPlan(live: LiveSnapshot) {
  const plan: { vendor: string; protocol: StreamProtocol; channels: StreamChannel[]; url: string }[] = [];
  for (const runtime of live.current.registry.enabled) {
    const protocol = runtime.adapter.stream;
    if (!protocol) continue;
    const byUrl = new Map<string, StreamChannel[]>();
    for (const channel of protocol.channels) {
      const url = channelUrl(protocol, channel, runtime.config.streamUrl);
      byUrl.set(url, [...(byUrl.get(url) ?? []), channel]);
    }
    for (const [url, channels] of byUrl) plan.push({ vendor: runtime.name, protocol, channels, url });
  }
  return plan;
}

/**
 * The channel's URL: the vendor's default, or providers.NAME.streamUrl. A streamUrl with no path (a simulator, a
 * proxy: `ws://127.0.0.1:4010`) keeps the default's path per channel (polygon's /stocks and /crypto clusters); one with
 * a path is used as it is for every channel.
 */
export function channelUrl(protocol: StreamProtocol, channel: StreamChannel, configured: string | undefined): string {
  const vendorDefault = protocol.defaultUrl(channel);
  if (!configured) return vendorDefault;
  const url = new URL(configured);
  if (url.pathname !== '/' || url.search !== '') return configured;
  const path = new URL(vendorDefault);
  url.pathname = path.pathname;
  url.search = path.search;
  return url.toString();
}

/** stream.sources[channel] when set (vendors not listed are left out), else by tier, then name. */
function ordered(feeds: VendorFeed[], channel: StreamChannel, config: GatewayConfig): VendorFeed[] {
  const chosen = config.stream.sources[channel];
  if (chosen) return chosen.flatMap((vendor) => feeds.filter((feed) => feed.vendor === vendor));
  const tier = (feed: VendorFeed) => config.providers[feed.vendor]?.tier ?? Number.MAX_SAFE_INTEGER;
  return [...feeds].sort((a, b) => tier(a) - tier(b) || a.vendor.localeCompare(b.vendor));
}

function pollIntervalMs(config: GatewayConfig, channel: StreamChannel): number {
  const capability = channelCapability[channel];
  const ttl = config.cache.ttlMs[capability] ?? defaultTtlMs[capability];
  return config.stream.pollIntervalMs[channel] ?? (ttl > 0 ? ttl : defaultTtlMs[capability]);
}

/** Background reads: lowest limiter priority, the cache shared with REST clients, never aborted by a client. */
function backgroundRequest(): DataRequest {
  return {
    requestId: 'stream-poller',
    priority: 'low',
    noCache: false,
    clientSignal: () => new AbortController().signal,
  };
}

async function readPoll(data: DataService, channel: StreamChannel, symbols: readonly string[]): Promise<PolledModel[]> {
  if (channel === 'stocks.quote') {
    const batches: string[][] = [];
    for (let start = 0; start < symbols.length; start += pollBatchSize) {
      batches.push(symbols.slice(start, start + pollBatchSize));
    }
    const answers = await Promise.allSettled(
      batches.map((batch) => data.get('stock-quotes', { symbols: batch }, backgroundRequest())),
    );
    return answers.flatMap((answer) =>
      answer.status === 'fulfilled'
        ? answer.value.data.quotes.map((quote: StockQuote) => ({
            symbol: quote.symbol,
            data: quote,
            provider: answer.value.provider,
          }))
        : [],
    );
  }
  const answers = await Promise.allSettled(
    symbols.map((symbol) =>
      data.get('crypto-price', { symbol, vs: streamQuoteCurrency }, backgroundRequest()).then((answer) => ({
        symbol,
        data: answer.data,
        provider: answer.provider,
      })),
    ),
  );
  return answers.flatMap((answer) => (answer.status === 'fulfilled' ? [answer.value] : []));
}

async function readSeed(data: DataService, channel: StreamChannel, symbol: string): Promise<PolledModel | null> {
  const [polled] = await readPoll(data, channel, [symbol]);
  return polled ?? null;
}
