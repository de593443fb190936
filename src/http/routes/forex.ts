import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { forexRateSchema } from '../../contract/index.js';
import type { Router } from '../../routing/router.js';
import { routeOptionsFrom } from '../request-context.js';
import { respond } from '../respond.js';
import { envelope } from '../schemas/envelope.js';
import { commonQuery, priorityHeaderSchema } from '../schemas/params.js';
import { dataErrorResponses } from '../schemas/problem.js';

const isoCurrency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be a 3-letter ISO-4217 currency code')
  .transform((value) => value.toUpperCase());

export const forexRoutes: FastifyPluginAsyncZod<{ router: Router }> = async (app, { router }) => {
  app.get(
    '/:base/:quote',
    {
      schema: {
        summary: 'Exchange rate between two currencies',
        tags: ['forex'],
        params: z.object({ base: isoCurrency.meta({ example: 'EUR' }), quote: isoCurrency.meta({ example: 'USD' }) }),
        querystring: z.strictObject(commonQuery),
        headers: priorityHeaderSchema,
        response: { 200: envelope(forexRateSchema), ...dataErrorResponses },
      },
    },
    async (request, reply) => {
      const { base, quote } = request.params;
      const options = routeOptionsFrom(request, `${base}/${quote}`);
      return respond(request, reply, await router.route('forex-rate', { base, quote }, options));
    },
  );
};
