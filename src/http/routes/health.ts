import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { LiveSnapshot } from '../../data/snapshot.js';
import type { MetricsStore } from '../../store/metrics-store.js';
import type { Drain } from '../plugins/drain.js';
import type { LoadState } from '../plugins/load-shedding.js';
import { jsonAnswer } from '../schemas/responses.js';

const readySchema = z
  .object({
    status: z.enum(['ready', 'degraded', 'not-ready']),
    checks: z.object({
      config: z.literal('loaded'),
      store: z.string().describe('Where shared state lives: memory (embedded), or the Redis state.'),
      vendors: z.string().describe('How many vendors take traffic.'),
    }),
    reasons: z.array(z.string()),
  })
  .meta({
    id: 'Readiness',
    example: { status: 'ready', checks: { config: 'loaded', store: 'memory', vendors: '4 of 8 enabled' }, reasons: [] },
  });

export const healthRoutes: FastifyPluginAsyncZod<{
  live: LiveSnapshot;
  store: MetricsStore;
  /** Load shedding: an overloaded instance is not ready, so a load balancer sends its traffic elsewhere. */
  load?: LoadState;
  /** A shutting-down instance is not ready, so a load balancer moves away before its listener closes. */
  drain?: Drain;
}> = async (app, { live, store, load, drain }) => {
  const startedAt = Date.now();

  app.get(
    '/health',
    {
      config: { rateLimit: false, public: true },
      schema: {
        summary: 'Liveness: the process answers',
        tags: ['operations'],
        security: [],
        response: {
          200: jsonAnswer(
            z
              .object({ status: z.literal('ok'), uptimeSeconds: z.number() })
              .meta({ example: { status: 'ok', uptimeSeconds: 3600 } }),
          ),
        },
      },
    },
    async () => ({ status: 'ok' as const, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) }),
  );

  app.get(
    '/ready',
    {
      config: { rateLimit: false, public: true },
      schema: {
        summary: 'Readiness: configuration loaded, store reachable or degraded, some vendor enabled',
        tags: ['operations'],
        security: [],
        response: { 200: jsonAnswer(readySchema), 503: jsonAnswer(readySchema) },
      },
    },
    async (_request, reply) => {
      const { registry } = live.current;
      const enabled = registry.enabled.length;
      const storeStatus = store.status();
      const reasons: string[] = [];
      if (enabled === 0) reasons.push('no vendor is enabled: set API keys (see /v1/providers)');
      if (storeStatus.reason) reasons.push(`store degraded (serving from in-process state): ${storeStatus.reason}`);
      const overloaded = load?.overloaded();
      if (overloaded) reasons.push(`overloaded, shedding requests: ${overloaded}`);
      const draining = drain?.draining === true;
      if (draining) reasons.push('shutting down: the listener closes at the end of server.shutdown.graceMs');
      // A degraded store still serves (200): no vendor at all, shedding load or shutting down makes it not ready.
      const ready = enabled > 0 && overloaded === undefined && !draining;
      const status = !ready ? 'not-ready' : storeStatus.state === 'degraded' ? 'degraded' : 'ready';
      const body = {
        status: status as 'ready' | 'degraded' | 'not-ready',
        checks: {
          config: 'loaded' as const,
          store: storeStatus.kind === 'memory' ? 'memory' : `redis ${storeStatus.state}`,
          vendors: `${enabled} of ${registry.listings.length} enabled`,
        },
        reasons,
      };
      return reply.code(ready ? 200 : 503).send(body);
    },
  );
};
