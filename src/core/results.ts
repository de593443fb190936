import type { z } from 'zod';
import type { Capability } from './capabilities.js';
import { cryptoCandlesSchema, stockCandlesSchema } from './models/candles.js';
import { cryptoPriceSchema } from './models/crypto-price.js';
import { forexRateSchema } from './models/forex-rate.js';
import { newsSchema } from './models/news.js';
import { stockQuoteListSchema, stockQuoteSchema } from './models/stock-quote.js';

/** The canonical model of each capability's answer: what adapters normalize into and the routes return as `data`. */
export const resultSchemas: Record<Capability, z.ZodType> = {
  'stock-quote': stockQuoteSchema,
  'stock-quotes': stockQuoteListSchema,
  'stock-candles': stockCandlesSchema,
  'crypto-price': cryptoPriceSchema,
  'crypto-candles': cryptoCandlesSchema,
  'forex-rate': forexRateSchema,
  'news-by-symbol': newsSchema,
  'news-search': newsSchema,
  'news-latest': newsSchema,
};
