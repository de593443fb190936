import type { Capability, CapabilityHandler, NotFound, QueryOf, ResultOf } from '../../../src/contract/index.js';
import { loadReply } from '../../helpers/fixtures.js';

export const receivedAt = new Date('2026-01-30T21:00:00.000Z');
export const now = new Date('2026-01-30T21:00:00.000Z');

/** Parses a polygon fixture with the handler's raw schema (throwing on failure) and normalizes it. */
export function normalizeFixture<C extends Capability, Raw>(
  handler: CapabilityHandler<C, Raw>,
  fixture: string,
  query: QueryOf<C>,
): ResultOf<C> | NotFound {
  const raw = handler.responseSchema.parse(loadReply('polygon', fixture).body);
  return handler.normalize(raw, query, { receivedAt });
}
