import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isCanonical } from '../../cache/fast-path.js';
import { forexRateSchema } from '../../core/index.js';
import type { DataService } from '../../data/data-service.js';
import { answerFreshHits, answerWith } from '../respond.js';
import { envelope } from '../schemas/envelope.js';
import { commonQuery, priorityHeaderSchema } from '../schemas/params.js';
import { dataAnswer, dataErrorResponses } from '../schemas/responses.js';

export const isoCurrency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be a 3-letter ISO-4217 currency code')
  .transform((value) => value.toUpperCase());
/** A currency code as isoCurrency gives it: the schema returns it unchanged. */
export const canonicalIsoCurrency = /^[A-Z]{3}$/;

export const forexRoutes: FastifyPluginAsyncZod<{ data: DataService }> = async (app, { data }) => {
  app.get(
    '/:base/:quote',
    {
      schema: {
        summary: 'Exchange rate between two currencies',
        tags: ['forex'],
        params: z.object({ base: isoCurrency.meta({ example: 'EUR' }), quote: isoCurrency.meta({ example: 'USD' }) }),
        querystring: z.strictObject(commonQuery),
        headers: priorityHeaderSchema,
        response: { 200: dataAnswer(envelope(forexRateSchema)), ...dataErrorResponses },
      },
      preParsing: answerFreshHits(data, 'forex-rate', ({ base, quote }) =>
        isCanonical(canonicalIsoCurrency, base) && isCanonical(canonicalIsoCurrency, quote)
          ? { base, quote }
          : undefined,
      ),
    },
    async (request, reply) => {
      const query = { base: request.params.base, quote: request.params.quote };
      return answerWith(data, request, reply, 'forex-rate', query);
    },
  );
};
