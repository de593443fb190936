import { z } from 'zod';
import { attemptRecordSchema, cacheStatuses } from '../../core/outcomes.js';

export const metaSchema = z
  .object({
    provider: z.string().describe('The vendor that answered (comma-separated when a watchlist used several).'),
    cache: z.enum(cacheStatuses).describe('Whether the answer came from the cache.'),
    attempts: z.array(attemptRecordSchema).describe('Every vendor tried or passed over, in order.'),
    requestId: z.string(),
    latencyMs: z.number().describe('Time the gateway spent on the request.'),
    ageMs: z
      .number()
      .optional()
      .describe('How old a cached answer is, in milliseconds; only when `cache` is hit or stale.'),
    marketClosed: z
      .literal(true)
      .optional()
      .describe(
        'Present when the answer is fresh for longer than its TTL because its market is closed (a stock quote at ' +
          'night, on a weekend or an exchange holiday; a forex rate at the weekend): it stays fresh until the next ' +
          'session opens, at most cache.marketClosedMaxTtlMs. For a watchlist: some of its quotes.',
      ),
  })
  .meta({
    id: 'Meta',
    example: {
      provider: 'finnhub',
      cache: 'miss',
      attempts: [
        { provider: 'polygon', outcome: 'timeout', ms: 1500.2, detail: 'no answer in time' },
        { provider: 'finnhub', outcome: 'ok', ms: 41.7 },
      ],
      requestId: '3f0c2d5e-0d7c-4d0e-9a53-0c1f4c1b2a11',
      latencyMs: 1542.6,
    },
  });
export type Meta = z.infer<typeof metaSchema>;

export function envelope<T extends z.ZodType>(data: T) {
  return z.object({ data, meta: metaSchema });
}
