import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { GatewayMetrics } from '../../observability/metrics.js';
import { operatorErrorResponses } from '../schemas/responses.js';
import { operatorSurface } from '../plugins/auth.js';

const exposition = z
  .string()
  .describe('Prometheus text exposition format 0.0.4')
  .meta({
    example:
      '# HELP gateway_failovers_total Requests answered by another vendor than the one tried first.\n' +
      '# TYPE gateway_failovers_total counter\n' +
      'gateway_failovers_total{capability="stock-quote",from="polygon",to="finnhub"} 3\n',
  });

export const metricsRoutes: FastifyPluginAsyncZod<{ metrics: GatewayMetrics }> = async (app, { metrics }) => {
  operatorSurface(app);
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
        produces: ['text/plain'],
        response: { 200: exposition, ...operatorErrorResponses() },
      },
    },
    async (_request, reply) => {
      const text = await metrics.registry.metrics();
      // Plain text, not JSON: bypass the schema serializer that would quote it.
      return reply
        .type(metrics.registry.contentType)
        .serializer((payload) => payload as string)
        .send(text);
    },
  );
};
