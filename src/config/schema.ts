import { z } from 'zod';
import { capabilities } from '../core/capabilities.js';
import { streamChannels } from '../core/stream.js';

// Values interpolated from the environment arrive as strings; these accept "8080" and "true" but never turn '' into 0.
const fromString = (value: unknown) => {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : value;
};
const integer = (min: number, max: number) => z.preprocess(fromString, z.number().int().min(min).max(max));
const decimal = (min: number, max: number) => z.preprocess(fromString, z.number().min(min).max(max));
const flag = () => z.preprocess(fromString, z.boolean());
/** An interpolated secret or URL: '' (an unset `${VAR:-}`) means absent. */
const optionalText = () =>
  z.preprocess((value) => (value === '' || value === null ? undefined : value), z.string().optional());

const windowCounting = z.enum(['rolling', 'fixed']);
const isTimeZone = (timeZone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
};

export const rateLimitSchema = z
  .strictObject({
    perSecond: integer(1, 100_000).optional().describe('Calls allowed per second; spaced evenly (minTime), not burst.'),
    perMinute: integer(1, 1_000_000).optional().describe('Calls allowed per minute window.'),
    perDay: integer(1, 100_000_000).optional().describe('Calls allowed per day window.'),
    perMonth: integer(1, 1_000_000_000).optional().describe('Calls allowed per month window.'),
    counting: z
      .strictObject({
        second: windowCounting.optional(),
        minute: windowCounting.optional(),
        day: windowCounting.optional(),
        month: windowCounting.optional(),
      })
      .optional()
      .describe(
        'How the vendor counts each window: rolling (the last 1 s, 60 s, 24 h, 30 days) or fixed (clock seconds and ' +
          'minutes; calendar days and months in timeZone). Default: second and minute rolling, day and month fixed.',
      ),
    timeZone: z
      .string()
      .refine(isTimeZone, 'must be an IANA time zone such as UTC or America/New_York')
      .optional()
      .describe("The zone of the vendor's calendar day and month (default UTC)."),
    leaseSize: integer(1, 10_000)
      .optional()
      .describe(
        'Most quota tokens one instance takes from the shared counters at once (default: a tenth of the smallest window, 1–50).',
      ),
    maxConcurrent: integer(1, 1_000).default(8).describe('Calls in flight at once to this vendor.'),
    maxQueue: integer(0, 10_000)
      .default(20)
      .describe('Calls allowed to wait for a slot; beyond it the vendor is skipped.'),
  })
  .describe('The vendor quota the gateway stays within.');

export const breakerSchema = z
  .strictObject({
    volumeThreshold: integer(1, 100_000).default(10).describe('Calls in the window before the breaker may open.'),
    errorThresholdPercentage: decimal(1, 100).default(50).describe('Failure percentage in the window that opens it.'),
    rollingWindowMs: integer(1_000, 600_000).default(10_000).describe('Length of the rolling statistics window.'),
    resetTimeoutMs: integer(100, 3_600_000)
      .default(15_000)
      .describe('Time open before one half-open probe is let through.'),
    consecutiveFailures: integer(0, 10_000)
      .default(5)
      .describe(
        'Timeouts, network errors or 5xx answers in a row that open the breaker at once, before the percentage ' +
          'window fills (a hang); 0: off.',
      ),
  })
  .describe('Circuit breaker settings (opossum).');

export const healthCheckSchema = z
  .strictObject({
    enabled: flag()
      .default(true)
      .describe('Poll the adapter health endpoint (vendors without one rely on live traffic).'),
    intervalMs: integer(1_000, 86_400_000).default(60_000).describe('Time between two probes.'),
    timeoutMs: integer(50, 60_000).default(2_000).describe('Longest one probe may take.'),
  })
  .describe('Active health checks for one vendor.');
const defaultHealthCheck = { enabled: true, intervalMs: 60_000, timeoutMs: 2_000 };

export const budgetSchema = z
  .strictObject({
    daily: decimal(0, 1_000_000_000)
      .optional()
      .describe('Most this vendor may cost per UTC day, in the currency of costPerCall; unset: no cap.'),
    monthly: decimal(0, 1_000_000_000)
      .optional()
      .describe('Most this vendor may cost per UTC calendar month; unset: no cap.'),
  })
  .describe(
    'Spend caps, shared by every instance on one Redis: at 80 % an event (budgetWarning) and an alert, at 100 % the ' +
      'vendor is skipped (budget-skip) until the day or month ends (docs/operations.md#gatewayvendorbudgetspent).',
  );

export const providerConfigSchema = z
  .strictObject({
    enabled: flag().default(true).describe('false takes the vendor out of routing.'),
    tier: integer(1, 100).describe('1 is the best; lower tiers are tried first by the priority strategy.'),
    weight: decimal(0.001, 1_000).default(1).describe('Share of traffic for weighted strategies.'),
    apiKey: optionalText().describe('The vendor key; prefer ${NAME_API_KEY} or the NAME_API_KEY variable.'),
    baseUrl: optionalText()
      .pipe(z.url({ protocol: /^https?$/ }).optional())
      .describe('Replaces the vendor default base URL (a simulator, a proxy); also NAME_BASE_URL.'),
    streamUrl: optionalText()
      .pipe(z.url({ protocol: /^wss?$/ }).optional())
      .describe(
        "Replaces the vendor's default streaming URL (ws:// or wss://: a simulator, a proxy); also NAME_STREAM_URL.",
      ),
    timeoutMs: integer(50, 60_000).default(2_000).describe('Longest one call to this vendor may take.'),
    maxConnections: integer(1, 1_024).default(16).describe('Size of this vendor keep-alive connection pool.'),
    rateLimit: rateLimitSchema.default({ maxConcurrent: 8, maxQueue: 20 }),
    costPerCall: decimal(0, 1_000).default(0).describe('What one call costs, in your currency of account.'),
    budget: budgetSchema.default({}),
    breaker: breakerSchema.default({
      volumeThreshold: 10,
      errorThresholdPercentage: 50,
      rollingWindowMs: 10_000,
      resetTimeoutMs: 15_000,
      consecutiveFailures: 5,
    }),
    capabilities: z
      .array(z.enum(capabilities))
      .min(1)
      .optional()
      .describe('A subset of what the adapter declares; never more.'),
    healthCheck: healthCheckSchema.default(defaultHealthCheck),
  })
  .describe('One vendor: what the operator chooses. What the vendor dictates (paths, auth) lives in its adapter.');

export const strategies = [
  'health-based',
  'priority',
  'round-robin',
  'weighted-round-robin',
  'least-connections',
  'latency',
  'cost',
  'random',
  'consistent-hash',
] as const;
export type StrategyName = (typeof strategies)[number];

export const hedgingSchema = z
  .strictObject({
    enabled: flag().default(true),
    afterMs: integer(10, 60_000)
      .optional()
      .describe("Fixed delay before the next vendor starts; unset: the slow vendor's observed p95, within min/max."),
    minAfterMs: integer(10, 60_000).default(150).describe('Lower bound of the observed-p95 delay.'),
    maxAfterMs: integer(10, 60_000).default(1_000).describe('Upper bound, and the delay before any latency is known.'),
  })
  .describe('Hedged requests: a slow attempt gets a parallel one at the next vendor; the first valid answer wins.');
const defaultHedging = { enabled: true, minAfterMs: 150, maxAfterMs: 1_000 };

export const retrySchema = z
  .strictObject({
    attempts: integer(0, 5).default(1).describe('Extra tries at the same vendor after a connection reset.'),
    baseDelayMs: integer(0, 10_000).default(10).describe('Backoff before a retry, jittered between 50 % and 150 %.'),
  })
  .describe('Retries on the same vendor, only for idempotent network blips (a reset keep-alive connection).');
const defaultRetry = { attempts: 1, baseDelayMs: 10 };

export const healthScoreSchema = z
  .strictObject({
    windowMs: integer(10_000, 86_400_000)
      .default(300_000)
      .describe('Live traffic and probe results older than this no longer move the score.'),
    referenceLatencyMs: integer(1, 60_000)
      .default(500)
      .describe('A vendor this fast gets half the latency part; faster vendors more.'),
  })
  .describe('Inputs of the health score (docs/configuration.md#health-score).');
const defaultHealthScore = { windowMs: 300_000, referenceLatencyMs: 500 };

export const clientRateLimitSchema = z
  .strictObject({
    enabled: flag().default(true),
    max: integer(1, 10_000_000).default(1_200).describe('Requests one client (by IP) may make per window.'),
    windowMs: integer(1_000, 3_600_000).default(60_000).describe('Length of the client window.'),
  })
  .describe('Per-client limit on the data endpoints; over it a client gets 429 with Retry-After.');

const defaultClientRateLimit = { enabled: true, max: 1_200, windowMs: 60_000 };

/** A browser origin as it arrives in the Origin header: scheme, host and optional port, nothing after. */
const browserOrigin = /^https?:\/\/[^/?#\s]+$/;

export const corsSchema = z
  .strictObject({
    origins: z
      .array(
        z
          .string()
          .refine(
            (origin) => origin === '*' || browserOrigin.test(origin),
            'must be an origin such as https://app.example.com (scheme, host, optional port; no path), or *',
          ),
      )
      .default([])
      .describe(
        'Browser origins allowed to call the API from their pages; [] (default): no CORS headers at all, so only ' +
          "same-origin pages and non-browser clients can read answers. ['*'] allows every origin.",
      ),
    maxAgeSeconds: integer(0, 86_400)
      .default(600)
      .describe('How long a browser may reuse a preflight answer (Access-Control-Max-Age).'),
  })
  .describe('Cross-origin access for browser frontends (docs/security.md#hardening).');

export const underPressureSchema = z
  .strictObject({
    maxEventLoopDelayMs: integer(0, 60_000)
      .default(1_000)
      .describe('Shed load when the mean event-loop delay over one sample passes this; 0: never.'),
    maxHeapUsedBytes: integer(0, 68_719_476_736)
      .optional()
      .describe("Shed load when the V8 heap in use passes this; unset: 90 % of node's heap limit; 0: never."),
    retryAfterSeconds: integer(1, 3_600).default(10).describe('Retry-After of a shed request (503 GW_OVERLOADED).'),
    sampleIntervalMs: integer(10, 60_000).default(1_000).describe('How often the event loop and heap are sampled.'),
  })
  .describe('Load shedding (@fastify/under-pressure): 503 with Retry-After while the process is overloaded.');

export const shutdownSchema = z
  .strictObject({
    graceMs: integer(0, 300_000)
      .default(5_000)
      .describe(
        'After SIGTERM, /ready answers 503 and requests are still served this long before the listener closes, so a ' +
          'load balancer moves traffic away first; 0 closes at once.',
      ),
    timeoutMs: integer(1_000, 600_000)
      .default(10_000)
      .describe(
        "After the grace, the longest closing may take (in-flight requests, webhooks, the store's last sync) before " +
          'the process gives up and exits 1.',
      ),
    webhookDrainMs: integer(0, 600_000)
      .default(3_000)
      .describe('While closing, the longest queued webhook alerts may take to send; the rest are dropped and logged.'),
  })
  .refine((shutdown) => shutdown.webhookDrainMs < shutdown.timeoutMs, {
    path: ['webhookDrainMs'],
    message: 'must be below server.shutdown.timeoutMs, or closing would time out waiting for webhooks',
  })
  .describe('Graceful shutdown on SIGTERM or SIGINT (docs/operations.md#graceful-shutdown).');

/** Freshness per capability unless cache.ttlMs says otherwise. */
export const defaultTtlMs: Record<(typeof capabilities)[number], number> = {
  'stock-quote': 5_000,
  'stock-quotes': 5_000,
  'stock-candles': 60_000,
  'crypto-price': 5_000,
  'crypto-candles': 60_000,
  'forex-rate': 10_000,
  'news-by-symbol': 60_000,
  'news-search': 60_000,
  'news-latest': 60_000,
};

export const cacheSchema = z
  .strictObject({
    enabled: flag().default(true),
    maxEntries: integer(1, 10_000_000).default(50_000).describe('Entries kept in the in-process cache.'),
    maxBytes: integer(1_024, 8_589_934_592)
      .default(32 * 1024 * 1024)
      .describe(
        'Bytes (JSON length) kept in the in-process cache; one entry at most an eighth of it. The heap must hold ' +
          'twice this plus 64 MiB (docs/operations.md#memory).',
      ),
    ttlMs: z
      .partialRecord(z.enum(capabilities), integer(0, 86_400_000))
      .default({})
      .describe(
        'How long an answer is fresh, per capability (defaults: quotes 5 s, forex 10 s, news and candles that include ' +
          'today 60 s). 0 turns caching off for it.',
      ),
    closedCandlesTtlMs: integer(0, 604_800_000)
      .default(6 * 60 * 60 * 1000)
      .describe('Freshness of candles wholly in the past (they no longer change).'),
    staleIfErrorMs: integer(0, 604_800_000)
      .default(10 * 60 * 1000)
      .describe('Oldest answer served, marked stale, when every vendor fails; 0: never.'),
    notFoundTtlMs: integer(0, 3_600_000)
      .default(60_000)
      .describe(
        'How long an unknown symbol the vendors agreed on (404) is answered from memory, without a vendor call; 0: never.',
      ),
    batchWindowMs: integer(0, 1_000)
      .default(10)
      .describe(
        'How long a single stock quote the cache must fetch waits for others, so they go to the vendor as one ' +
          'multi-symbol call; 0: every quote alone.',
      ),
    batchMaxSymbols: integer(1, 50)
      .default(50)
      .describe('A batch this big goes at once, without waiting out batchWindowMs (at most 50, the watchlist limit).'),
    wholeMarketMinSymbols: integer(0, 1_000_000)
      .default(20)
      .describe(
        'When this many distinct stock symbols were fetched for single quotes within one stock-quote TTL, a batch ' +
          "asks a vendor with a whole-market call (polygon's full-market snapshot) for every ticker instead, and the " +
          'cache keeps them all: one call refreshes the lot. 0: never.',
      ),
    marketClosedMaxTtlMs: integer(0, 604_800_000)
      .default(4 * 86_400_000)
      .describe(
        'Longest a stock quote, stock candles or a forex rate asked for while its market is closed stays fresh ' +
          '(otherwise until the next session opens; src/cache/market-hours.ts). 0: the usual TTL around the clock.',
      ),
    refreshAheadMs: integer(0, 3_600_000)
      .default(1_000)
      .describe(
        'An answer asked for again while fresh is refreshed this long before it expires (at most half its TTL ' +
          'early), so a steady mix is served fresh; an answer nobody asks for again is left to expire. 0: never.',
      ),
  })
  .describe('Response cache in front of the router (in-process LRU; Redis too when store.redisUrl is set).');
const defaultCache = {
  enabled: true,
  maxEntries: 50_000,
  maxBytes: 32 * 1024 * 1024,
  ttlMs: {},
  closedCandlesTtlMs: 6 * 60 * 60 * 1000,
  staleIfErrorMs: 10 * 60 * 1000,
  notFoundTtlMs: 60_000,
  batchWindowMs: 10,
  batchMaxSymbols: 50,
  wholeMarketMinSymbols: 20,
  marketClosedMaxTtlMs: 4 * 86_400_000,
  refreshAheadMs: 1_000,
};

export const storeSchema = z
  .strictObject({
    redisUrl: optionalText()
      .refine(
        (url) => url === undefined || /^(rediss?:\/\/|redis\+cluster:\/\/|redis\+sentinel:\/\/[^/]+\/[^/]+)/.test(url),
        'expected redis://, rediss://, redis+sentinel://host:26379/<master> or redis+cluster://host:7000,…',
      )
      .describe('Redis URL (REDIS_URL); absent: everything stays in this process.'),
    keyPrefix: z
      .string()
      .min(1)
      .default('mdg')
      .describe('Prefix of every Redis key, so instances of one gateway share.'),
    commandTimeoutMs: integer(5, 10_000)
      .default(50)
      .describe('Longest a Redis command may take on the request path before the gateway goes on without it.'),
    syncIntervalMs: integer(100, 60_000)
      .default(1_000)
      .describe('How often the shared vendor windows are read back from Redis.'),
    quotaStateFile: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Without Redis: where the vendor quota counters are kept across restarts (default state/quotas.json, ' +
          'relative to the working directory).',
      ),
  })
  .describe('Shared state for several instances: vendor windows, cache, events.');
const defaultStore = { keyPrefix: 'mdg', commandTimeoutMs: 50, syncIntervalMs: 1_000 };

export const webhookSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).describe('Receives a POST with a JSON body per event.'),
  events: z.array(z.string().min(1)).min(1).describe('Router event names to send (failover, breakerOpened, …).'),
  minIntervalMs: integer(0, 86_400_000)
    .default(60_000)
    .describe('At most one POST per event name and vendor in this interval; the rest are counted into the next.'),
});

export const alertsSchema = z
  .strictObject({
    webhooks: z.array(webhookSchema).default([]),
  })
  .describe('Webhooks on router events; Prometheus alerting rules live in config/alerts.yml.');

/** What a client key may do: a capability, `data` for every capability, `operator` for the operator surface and options. */
export const clientScopes = ['data', 'operator', ...capabilities] as const;
export type ClientScope = (typeof clientScopes)[number];

export const clientKeySchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1–64 letters, digits, . _ or -')
      .describe('Who holds the key: shown in logs and metrics, never the key itself.'),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'must be the hex SHA-256 of the key (npm run keys -- new NAME prints it)')
      .describe('The key is never stored: only its SHA-256, in hex.'),
    scopes: z
      .array(z.enum(clientScopes))
      .min(1)
      .default(['data'])
      .describe('Capabilities the key may ask for (`data`: all); `operator` adds the operator surface and options.'),
    requestsPerWindow: integer(1, 10_000_000)
      .optional()
      .describe('Requests per server.clientRateLimit window; default server.clientRateLimit.max.'),
    spendPerWindow: z
      .number()
      .nonnegative()
      .optional()
      .describe('Vendor spend (sum of costPerCall) per window; default auth.spendPerWindow.'),
    streamConnections: integer(1, 100_000)
      .optional()
      .describe(
        'Live streams (/v1/stream, /v1/stream/sse) the key may hold at once; default stream.maxConnectionsPerClient.',
      ),
    streamSymbols: integer(1, 1_000_000)
      .optional()
      .describe('Symbols the key may follow at once over all its streams; default stream.maxSymbolsPerClient.'),
  })
  .describe('One client key.');

export const authSchema = z
  .strictObject({
    mode: z
      .enum(['keys', 'open'])
      .default('keys')
      .describe(
        'keys: every data request needs a client key (X-API-Key or Authorization: Bearer). open: no key needed, ' +
          'clients are told apart by IP; the process warns. npm start refuses keys mode without any key.',
      ),
    keys: z.array(clientKeySchema).default([]).describe('Client keys; also GATEWAY_API_KEYS and GATEWAY_ADMIN_KEY.'),
    spendPerWindow: z
      .number()
      .nonnegative()
      .default(0.05)
      .describe(
        'Vendor spend one client may cause per server.clientRateLimit window, in the currency of costPerCall: a ' +
          'cache hit costs nothing, a miss what its vendor calls cost. 0 turns the spend limit off.',
      ),
    adminHost: z
      .string()
      .min(1)
      .default('127.0.0.1')
      .describe('Interface of the admin port: keep it internal (loopback, or a private network).'),
    adminPort: integer(1, 65_535)
      .optional()
      .describe(
        'Serve the operator surface (/metrics, /v1/providers, /v1/events, sandbox control) only on this port, ' +
          'on auth.adminHost, with no key; the public port then answers 404 there. Unset: it needs an operator key.',
      ),
  })
  .describe('Who may call the gateway: client keys, scopes and per-client limits (docs/security.md).');

export const reloadSchema = z
  .strictObject({
    watch: flag()
      .default(true)
      .describe(
        'Reload when the configuration file changes (also SIGHUP and POST /admin/reload); false: those two only.',
      ),
    pollIntervalMs: integer(100, 60_000)
      .default(1_000)
      .describe('How often the file is checked for a change (a stat, which survives editors and symlink swaps).'),
    debounceMs: integer(0, 60_000)
      .default(300)
      .describe('Quiet time after the last change before reloading, so a file written in several steps loads once.'),
  })
  .describe('Hot reload of this file (docs/operations.md#reloading-the-configuration).');
const defaultReload = { watch: true, pollIntervalMs: 1_000, debounceMs: 300 };

export const streamSchema = z
  .strictObject({
    enabled: flag().default(true).describe('false: no /v1/stream routes and no upstream feed.'),
    sources: z
      .partialRecord(z.enum(streamChannels), z.array(z.string().min(1)).min(1))
      .default({})
      .describe(
        'Streaming vendors per channel, best first (the poller always comes last); default: every enabled vendor ' +
          'with a streaming API for the channel, by tier.',
      ),
    pingIntervalMs: integer(1_000, 300_000)
      .default(15_000)
      .describe('Ping sent to each WebSocket client (a comment line on SSE); a client that missed one pong is closed.'),
    maxConnections: integer(1, 1_000_000).default(10_000).describe('Live streams this instance serves at once.'),
    maxConnectionsPerClient: integer(1, 100_000)
      .default(10)
      .describe('Live streams one client (key, or IP without a key) may hold at once on this instance.'),
    maxSubscriptionsPerConnection: integer(1, 10_000)
      .default(100)
      .describe('Channel and symbol pairs one stream may follow.'),
    maxSymbolsPerClient: integer(1, 1_000_000)
      .default(500)
      .describe('Channel and symbol pairs one client may follow over all its streams on this instance.'),
    bufferBytes: integer(1_024, 16_777_216)
      .default(64 * 1024)
      .describe(
        'Bytes a subscriber may leave unread in its socket before its updates are conflated (latest per symbol).',
      ),
    slowConsumerMs: integer(100, 600_000)
      .default(10_000)
      .describe('A subscriber conflated without pause this long is disconnected (close code 1013).'),
    silenceMs: integer(200, 60_000)
      .default(1_000)
      .describe('An upstream socket that sends nothing (no frame, no pong) this long is dropped and failed over.'),
    upstreamPingMs: integer(100, 60_000)
      .default(300)
      .describe('Ping sent on each upstream socket, so a quiet but live socket still proves itself within silenceMs.'),
    reconnectBaseMs: integer(10, 60_000)
      .default(250)
      .describe('First reconnect delay of an upstream socket; doubles each try, with full jitter.'),
    reconnectMaxMs: integer(100, 600_000).default(30_000).describe('Longest reconnect delay.'),
    fatalRestMs: integer(1_000, 86_400_000)
      .default(300_000)
      .describe('How long a vendor that refused the connection for good (bad key, plan) is left alone.'),
    pollIntervalMs: z
      .partialRecord(z.enum(streamChannels), integer(250, 3_600_000))
      .default({})
      .describe("How often the poller refreshes a channel's symbols; default the capability's cache.ttlMs."),
    leaseMs: integer(500, 60_000)
      .default(3_000)
      .describe('With Redis: how long a symbol leader holds its lease unrenewed before another instance takes over.'),
  })
  .refine((stream) => stream.reconnectBaseMs <= stream.reconnectMaxMs, {
    path: ['reconnectBaseMs'],
    message: 'must not exceed stream.reconnectMaxMs',
  })
  .describe('Live quotes over WebSocket and SSE (docs/streaming.md).');

const gatewayConfigObject = z.strictObject({
  server: z
    .strictObject({
      host: z.string().min(1).default('0.0.0.0').describe('Interface to listen on.'),
      port: integer(0, 65_535).default(8080).describe('TCP port to listen on.'),
      logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      clientRateLimit: clientRateLimitSchema.default(defaultClientRateLimit),
      cors: corsSchema.prefault({}),
      underPressure: underPressureSchema.prefault({}),
      requestTimeoutMs: integer(1_000, 600_000)
        .default(30_000)
        .describe('Longest a client may take to send a whole request (Node requestTimeout); answered 408 past it.'),
      headersTimeoutMs: integer(1_000, 600_000)
        .default(10_000)
        .describe('Longest a client may take to send its request headers (Node headersTimeout); ≤ requestTimeoutMs.'),
      keepAliveTimeoutMs: integer(1_000, 3_600_000)
        .default(72_000)
        .describe(
          "Idle time before a kept-alive connection is closed; keep it above the load balancer's idle timeout.",
        ),
      connectionTimeoutMs: integer(0, 3_600_000)
        .default(60_000)
        .describe(
          'A socket with no traffic this long is destroyed; above routing.deadlineMs and events.heartbeatMs; 0: never.',
        ),
      bodyLimitBytes: integer(256, 10_485_760)
        .default(8_192)
        .describe('Largest request body accepted (413 past it): the API takes no bodies but the sandbox control POST.'),
      maxParamLength: integer(32, 1_000)
        .default(64)
        .describe('Longest path parameter the router matches (414 past it); the longest valid one has 32 characters.'),
      maxHeaderBytes: integer(1_024, 65_536)
        .default(8_192)
        .describe('Largest request header block (Node maxHeaderSize, this server only); answered 431 past it.'),
      trustProxy: z
        .union([
          flag(),
          z.array(z.string().min(1)),
          // From the environment (TRUST_PROXY): addresses or CIDRs, comma-separated.
          z
            .string()
            .min(1)
            .transform((list) =>
              list
                .split(',')
                .map((entry) => entry.trim())
                .filter(Boolean),
            ),
        ])
        .default(false)
        .describe(
          "Who may set X-Forwarded-For: false (nobody, the default), true (any hop), or the proxies' " +
            'addresses or CIDRs. Behind a load balancer this makes open-mode clients and the log see the real client IP.',
        ),
      shutdown: shutdownSchema.prefault({}),
    })
    .prefault({}),
  routing: z
    .strictObject({
      strategy: z.enum(strategies).default('health-based').describe('How candidates are ordered.'),
      strategyByCapability: z
        .partialRecord(z.enum(capabilities), z.enum(strategies))
        .default({})
        .describe('Per-capability overrides of `strategy`.'),
      deadlineMs: integer(100, 60_000).default(3_000).describe('Budget for one client request across all attempts.'),
      watchlistConcurrency: integer(1, 64)
        .default(8)
        .describe('Single-symbol calls in flight for one watchlist when no batch vendor answers.'),
      newsSources: integer(1, 5)
        .default(1)
        .describe('News vendors asked at once for one news request; their articles are merged and deduplicated.'),
      hedging: hedgingSchema.default(defaultHedging),
      retry: retrySchema.default(defaultRetry),
      healthScore: healthScoreSchema.default(defaultHealthScore),
      healthChecks: flag().default(true).describe('false stops every active health check (tests, air-gapped runs).'),
    })
    .default({
      strategy: 'health-based',
      strategyByCapability: {},
      deadlineMs: 3_000,
      watchlistConcurrency: 8,
      newsSources: 1,
      hedging: defaultHedging,
      retry: defaultRetry,
      healthScore: defaultHealthScore,
      healthChecks: true,
    }),
  providers: z.record(z.string(), providerConfigSchema).describe('The provider registry, by vendor name.'),
  cache: cacheSchema.default(defaultCache),
  store: storeSchema.default(defaultStore),
  alerts: alertsSchema.default({ webhooks: [] }),
  auth: authSchema.prefault({}),
  events: z
    .strictObject({
      heartbeatMs: integer(100, 300_000).default(15_000).describe('Comment line sent on idle /v1/events streams.'),
      maxStreams: integer(1, 100_000).default(200).describe('Open /v1/events streams this instance serves at once.'),
      maxStreamsPerClient: integer(1, 1_000)
        .default(5)
        .describe('Open /v1/events streams one client (key, or IP without a key) may hold at once.'),
    })
    .prefault({}),
  reload: reloadSchema.default(defaultReload),
  stream: streamSchema.prefault({}),
});

/** The whole file, its timeouts checked against each other. */
export const gatewayConfigSchema = gatewayConfigObject.superRefine(checkServerTimeouts);

/** Timeouts that only make sense together (Node's rule for headersTimeout; an idle socket outliving a slow answer). */
function checkServerTimeouts(
  config: {
    server: { headersTimeoutMs: number; requestTimeoutMs: number; connectionTimeoutMs: number };
    routing: { deadlineMs: number };
    events: { heartbeatMs: number };
    stream: { pingIntervalMs: number };
  },
  context: z.RefinementCtx,
): void {
  const { server } = config;
  if (server.headersTimeoutMs > server.requestTimeoutMs) {
    context.addIssue({
      code: 'custom',
      path: ['server', 'headersTimeoutMs'],
      message: `must not exceed server.requestTimeoutMs (${server.requestTimeoutMs}), as Node requires`,
    });
  }
  const longestQuiet = Math.max(config.routing.deadlineMs, config.events.heartbeatMs, config.stream.pingIntervalMs);
  if (server.connectionTimeoutMs !== 0 && server.connectionTimeoutMs <= longestQuiet) {
    context.addIssue({
      code: 'custom',
      path: ['server', 'connectionTimeoutMs'],
      message:
        `must exceed routing.deadlineMs, events.heartbeatMs and stream.pingIntervalMs (${longestQuiet}): a request ` +
        'waiting for vendors, or an idle event or live stream, would be cut (or 0: never)',
    });
  }
}

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;
export type ProviderConfig = z.output<typeof providerConfigSchema>;
export type RateLimitConfig = z.output<typeof rateLimitSchema>;
export type BreakerConfig = z.output<typeof breakerSchema>;
export type BudgetConfig = z.output<typeof budgetSchema>;
export type RoutingConfig = GatewayConfig['routing'];
export type HealthCheckConfig = z.output<typeof healthCheckSchema>;
export type CacheConfig = z.output<typeof cacheSchema>;
export type StoreConfig = z.output<typeof storeSchema>;
export type WebhookConfig = z.output<typeof webhookSchema>;
export type AuthConfig = z.output<typeof authSchema>;
export type ClientKeyConfig = z.output<typeof clientKeySchema>;
export type ReloadConfig = z.output<typeof reloadSchema>;
export type StreamConfig = z.output<typeof streamSchema>;
