import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type nock from 'nock';
import type { Capability, CapabilityHandler, NotFound, QueryOf, ResultOf, VendorReply } from '../../src/core/index.js';

function fixturesFolder(vendor: string): string {
  return fileURLToPath(new URL(`../adapters/${vendor}/fixtures/`, import.meta.url));
}

/** Loads test/adapters/<vendor>/fixtures/<name>.json: a VendorReply { status, headers, body } trimmed from a real answer. */
export function loadReply(vendor: string, name: string): VendorReply {
  const reply = JSON.parse(readFileSync(`${fixturesFolder(vendor)}${name}.json`, 'utf8')) as Partial<VendorReply>;
  return { status: reply.status ?? 200, headers: reply.headers ?? {}, body: reply.body };
}

/** The names of a vendor's fixtures, without `.json`. */
export function fixtureNames(vendor: string): string[] {
  return readdirSync(fixturesFolder(vendor))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.replace(/\.json$/, ''))
    .sort();
}

/** A fixture's body, for a nock interceptor to answer with. */
export function fixtureBody(vendor: string, name: string): nock.Body {
  return loadReply(vendor, name).body as nock.Body;
}

/** The clock fixture tests hand to builders and normalizers: an instant near when most fixtures were recorded. */
export const fixtureNow = new Date('2026-01-30T21:00:00.000Z');

/** A fixture through the handler's raw schema (throwing if it does not fit), then through its normalizer. */
export function normalizeFixture<C extends Capability, Raw>(
  vendor: string,
  handler: CapabilityHandler<C, Raw>,
  fixture: string,
  query: QueryOf<C>,
): ResultOf<C> | NotFound {
  return handler.normalize(handler.responseSchema.parse(loadReply(vendor, fixture).body), query, {
    receivedAt: fixtureNow,
  });
}
