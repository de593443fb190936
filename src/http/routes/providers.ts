import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { capabilities } from '../../core/index.js';
import { GatewayError } from '../../core/errors.js';
import { attemptOutcomes, vendorHealthStatuses } from '../../core/outcomes.js';
import { providerReport, type StreamFeedState } from '../../observability/providers-report.js';
import { breakerStates } from '../../resilience/breaker.js';
import type { LiveSnapshot } from '../../data/snapshot.js';
import type { ActiveHealthChecks } from '../../vendors/health-checks.js';
import { jsonAnswer, operatorErrorResponses, problemAnswer, rateLimitHeaders } from '../schemas/responses.js';
import { operatorSurface } from '../plugins/auth.js';

const providerStatusSchema = z
  .object({
    name: z.string(),
    enabled: z.boolean(),
    disabledReason: z.string().nullable().describe('Why the vendor takes no traffic, when it does not.'),
    tier: z.number().nullable(),
    weight: z.number().nullable(),
    capabilities: z.array(z.enum(capabilities)),
    docsUrl: z.string().nullable(),
    baseUrl: z.string().nullable().describe('Where calls go, without credentials.'),
    breaker: z
      .object({ state: z.enum(breakerStates), since: z.string() })
      .nullable()
      .describe('Circuit breaker state and when it entered it.'),
    cooldownUntil: z.string().nullable().describe('Resting after a 429 until this time (seen by any instance).'),
    ejectedUntil: z
      .string()
      .nullable()
      .describe('Avoided until this time because another instance’s breaker opened for it.'),
    quota: z.array(z.object({ window: z.string(), limit: z.number(), remaining: z.number() })),
    inFlight: z.number(),
    queued: z.number(),
    calls: z.number().describe('Calls from this instance since it started.'),
    windowCalls: z.number().describe('Calls in the score window, from every instance sharing the store.'),
    errorRate: z
      .number()
      .nullable()
      .describe('Share of calls in the window that failed for the vendor’s own reasons (every instance).'),
    latencyMs: z
      .object({
        p50: z.number().nullable(),
        p95: z.number().nullable(),
        mean: z.number().nullable(),
        ewma: z.number().nullable(),
      })
      .describe(
        'p50/p95/mean of good answers in the window (every instance); ewma of this instance’s answers (the latency strategy).',
      ),
    costPerCall: z.number().nullable(),
    usageToday: z
      .record(z.string(), z.object({ calls: z.number(), cost: z.number() }))
      .describe('Calls that reached the vendor today (UTC) and what they cost, per capability, from every instance.'),
    budget: z
      .array(
        z.object({
          period: z.enum(['day', 'month']),
          limit: z.number(),
          spent: z.number(),
          skipped: z
            .boolean()
            .describe('Spent in full: the vendor is passed over (budget-skip) until the period ends.'),
        }),
      )
      .describe('Spend caps (providers.NAME.budget) per UTC day and month and what every instance spent; [] uncapped.'),
    lastSuccessAt: z.string().nullable(),
    lastError: z.object({ outcome: z.enum(attemptOutcomes), detail: z.string().nullable(), at: z.string() }).nullable(),
    health: z
      .object({ status: z.enum(['healthy', 'degraded', 'down']), reasons: z.array(z.string()) })
      .nullable()
      .describe('What the router makes of the vendor now; null when disabled.'),
    score: z
      .object({
        value: z.number(),
        parts: z.object({
          uptime: z.number(),
          latency: z.number(),
          errors: z.number(),
          cost: z.number(),
          tierMultiplier: z.number(),
        }),
      })
      .nullable()
      .describe(
        'Health score = tierMultiplier × (0.4 uptime + 0.3 latency + 0.2 errors + 0.1 cost); see docs/configuration.md#health-score.',
      ),
    hedgeAfterMs: z.number().nullable().describe('How long a call may run before the next vendor starts beside it.'),
    streamFeeds: z
      .array(z.object({ state: z.enum(['idle', 'connecting', 'live', 'failing']), framesIn: z.number() }))
      .describe(
        "This instance's sockets to the vendor's streaming API (one per channel cluster) and the frames each has read; " +
          '[] when none is open (docs/streaming.md).',
      ),
    healthCheck: z
      .object({
        enabled: z.boolean(),
        intervalMs: z.number(),
        passed: z.number().describe('Probes passed in the score window.'),
        total: z.number(),
        last: z
          .object({ outcome: z.enum(attemptOutcomes), ms: z.number(), detail: z.string().nullable(), at: z.string() })
          .nullable(),
      })
      .nullable()
      .describe('Active health checks; null for vendors without a free health endpoint (live traffic only).'),
  })
  .meta({
    id: 'ProviderStatus',
    example: {
      name: 'polygon',
      enabled: true,
      disabledReason: null,
      tier: 1,
      weight: 3,
      capabilities: ['stock-quote', 'stock-quotes', 'stock-candles', 'forex-rate', 'news-by-symbol'],
      docsUrl: 'https://massive.com/docs',
      baseUrl: 'https://api.massive.com',
      breaker: { state: 'closed', since: '2026-11-25T09:00:00.000Z' },
      cooldownUntil: null,
      ejectedUntil: null,
      quota: [{ window: 'minute', limit: 5, remaining: 3 }],
      inFlight: 0,
      queued: 0,
      calls: 42,
      errorRate: 0.02,
      windowCalls: 40,
      latencyMs: { p50: 38.2, p95: 120.5, mean: 45.1, ewma: 42.7 },
      costPerCall: 0.0003,
      usageToday: { 'stock-quote': { calls: 40, cost: 0.012 }, 'news-by-symbol': { calls: 2, cost: 0.0006 } },
      budget: [{ period: 'day', limit: 5, spent: 0.0126, skipped: false }],
      lastSuccessAt: '2026-11-25T10:02:24.616Z',
      lastError: { outcome: 'timeout', detail: 'no answer in time', at: '2026-11-25T09:58:01.002Z' },
      health: { status: 'healthy', reasons: [] },
      score: { value: 0.912, parts: { uptime: 1, latency: 0.929, errors: 0.98, cost: 0.933, tierMultiplier: 1 } },
      hedgeAfterMs: 150,
      streamFeeds: [{ state: 'live', framesIn: 1830 }],
      healthCheck: {
        enabled: true,
        intervalMs: 300000,
        passed: 2,
        total: 2,
        last: { outcome: 'ok', ms: 41.2, detail: null, at: '2026-11-25T10:00:00.000Z' },
      },
    },
  });

const providerHealthSchema = z
  .object({
    name: z.string(),
    status: z.enum([...vendorHealthStatuses, 'disabled']),
    reasons: z.array(z.string()),
    provider: providerStatusSchema,
    probe: z
      .object({ outcome: z.enum(attemptOutcomes), ms: z.number(), detail: z.string().optional() })
      .optional()
      .describe('Present with ?probe=true: a live call to the vendor’s health-check endpoint.'),
  })
  .meta({ id: 'ProviderHealth' });

interface ProvidersRoutesOptions {
  live: LiveSnapshot;
  healthChecks: ActiveHealthChecks;
  /** The streaming engine, when stream.enabled: its vendor sockets show per vendor. */
  streamFeeds?: () => readonly StreamFeedState[];
}

export const providersRoutes: FastifyPluginAsyncZod<ProvidersRoutesOptions> = async (
  app,
  { live, healthChecks, streamFeeds = () => [] },
) => {
  operatorSurface(app);

  app.get(
    '',
    {
      schema: {
        summary: 'Every vendor: tier, state, breaker, quota left, latency, errors',
        tags: ['operations'],
        response: {
          200: jsonAnswer(z.object({ data: z.array(providerStatusSchema) }), rateLimitHeaders),
          ...operatorErrorResponses(rateLimitHeaders),
        },
      },
    },
    async () => {
      const { registry, router } = live.current;
      const feeds = streamFeeds();
      return { data: await Promise.all(registry.listings.map((listing) => providerReport(listing, router, feeds))) };
    },
  );

  app.get(
    '/:name/health',
    {
      schema: {
        summary: 'One vendor’s health; ?probe=true also calls its health-check endpoint now',
        tags: ['operations'],
        params: z.object({ name: z.string().meta({ example: 'polygon' }) }),
        querystring: z.strictObject({
          probe: z.stringbool().default(false).describe('Call the vendor now (spends quota on some vendors).'),
        }),
        response: {
          200: jsonAnswer(z.object({ data: providerHealthSchema }), rateLimitHeaders),
          404: problemAnswer('No vendor has this name.', rateLimitHeaders),
          ...operatorErrorResponses(rateLimitHeaders),
        },
      },
    },
    async (request) => {
      const { registry, router } = live.current;
      const listing = registry.find(request.params.name);
      if (!listing) throw new GatewayError('GW_NOT_FOUND', `provider: no vendor named "${request.params.name}"`);
      const probe = request.query.probe && listing.runtime ? await healthChecks.probe(listing.runtime) : undefined;
      const provider = await providerReport(listing, router, streamFeeds());
      const status: ProviderHealth['status'] = provider.health?.status ?? 'disabled';
      const reasons = provider.health?.reasons ?? (provider.disabledReason ? [provider.disabledReason] : []);
      return { data: { name: listing.name, status, reasons, provider, ...(probe ? { probe } : {}) } };
    },
  );
};

type ProviderHealth = z.infer<typeof providerHealthSchema>;
/** One entry of GET /v1/providers, as the dashboard reads it. */
export type ProviderStatus = z.infer<typeof providerStatusSchema>;
