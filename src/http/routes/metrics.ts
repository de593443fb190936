import type { FastifyPluginAsync } from 'fastify';
import type { GatewayMetrics } from '../../observability/metrics.js';

export const metricsRoutes: FastifyPluginAsync<{ metrics: GatewayMetrics }> = async (app, { metrics }) => {
  app.get(
    '/metrics',
    {
      config: { rateLimit: false },
      schema: {
        summary: 'Prometheus metrics (text exposition format)',
        description:
          'HTTP and upstream traffic, failovers, breaker states, health scores, quota left, queues, cache results, ' +
          'store health and process metrics. Alerting rules over them: config/alerts.yml.',
        tags: ['operations'],
      },
    },
    async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
};
