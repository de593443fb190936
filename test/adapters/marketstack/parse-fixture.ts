import type { Capability, CapabilityHandler, NotFound, QueryOf, ResultOf } from '../../../src/contract/index.js';
import { loadReply } from '../../helpers/fixtures.js';

export const now = new Date('2026-01-30T21:00:00.000Z');

/** A marketstack fixture through the handler's raw schema (throwing if it does not fit), then its normalizer. */
export function normalizeFixture<C extends Capability, Raw>(
  handler: CapabilityHandler<C, Raw>,
  fixture: string,
  query: QueryOf<C>,
): ResultOf<C> | NotFound {
  return handler.normalize(handler.responseSchema.parse(loadReply('marketstack', fixture).body), query, {
    receivedAt: now,
  });
}
