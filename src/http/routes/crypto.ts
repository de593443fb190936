import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isCanonical } from '../../cache/fast-path.js';
import { cryptoCandlesSchema, cryptoPriceSchema } from '../../core/index.js';
import type { DataService } from '../../data/data-service.js';
import { answerFreshHits, answerWith } from '../respond.js';
import { envelope } from '../schemas/envelope.js';
import {
  candleQueryFields,
  commonQuery,
  currencySchema,
  fromNotAfterTo,
  canonicalSymbol,
  priorityHeaderSchema,
  resolveDateRange,
  symbolSchema,
} from '../schemas/params.js';
import { dataAnswer, dataErrorResponses } from '../schemas/responses.js';

const defaultVs = 'USD';
const vsSchema = currencySchema.default(defaultVs).describe('Quote currency (default USD).');

export const cryptoRoutes: FastifyPluginAsyncZod<{ data: DataService }> = async (app, { data }) => {
  app.get(
    '/:symbol/price',
    {
      schema: {
        summary: 'Latest price of a crypto asset',
        tags: ['crypto'],
        params: z.object({ symbol: symbolSchema.meta({ example: 'BTC' }) }),
        querystring: z.strictObject({ vs: vsSchema, ...commonQuery }),
        headers: priorityHeaderSchema,
        response: { 200: dataAnswer(envelope(cryptoPriceSchema)), ...dataErrorResponses },
      },
      // The plain form has no query string: `vs` is its schema's default.
      preParsing: answerFreshHits(data, 'crypto-price', ({ symbol }) =>
        isCanonical(canonicalSymbol, symbol) ? { symbol, vs: defaultVs } : undefined,
      ),
    },
    async (request, reply) => {
      const query = { symbol: request.params.symbol, vs: request.query.vs };
      return answerWith(data, request, reply, 'crypto-price', query);
    },
  );

  app.get(
    '/:symbol/candles',
    {
      schema: {
        summary: 'Price bars for a crypto asset',
        tags: ['crypto'],
        params: z.object({ symbol: symbolSchema.meta({ example: 'BTC' }) }),
        querystring: z.strictObject({ vs: vsSchema, ...candleQueryFields, ...commonQuery }).superRefine(fromNotAfterTo),
        headers: priorityHeaderSchema,
        response: { 200: dataAnswer(envelope(cryptoCandlesSchema)), ...dataErrorResponses },
      },
    },
    async (request, reply) => {
      const { vs, interval } = request.query;
      const query = {
        symbol: request.params.symbol,
        vs,
        interval,
        ...resolveDateRange(interval, request.query, new Date()),
      };
      return answerWith(data, request, reply, 'crypto-candles', query);
    },
  );
};
