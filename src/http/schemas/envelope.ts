import { z } from 'zod';
import { attemptRecordSchema } from '../../routing/attempt-record.js';

export const cacheStatuses = ['hit', 'miss', 'stale', 'coalesced'] as const;

export const metaSchema = z
  .object({
    provider: z.string().describe('The vendor that answered (comma-separated when a watchlist used several).'),
    cache: z.enum(cacheStatuses).describe('Whether the answer came from the cache.'),
    attempts: z.array(attemptRecordSchema).describe('Every vendor tried or passed over, in order.'),
    requestId: z.string(),
    latencyMs: z.number().describe('Time the gateway spent on the request.'),
  })
  .meta({ id: 'Meta' });
export type Meta = z.infer<typeof metaSchema>;

export function envelope<T extends z.ZodType>(data: T) {
  return z.object({ data, meta: metaSchema });
}
