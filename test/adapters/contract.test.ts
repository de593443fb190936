import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { providers } from '../../providers/index.js';
import {
  capabilities,
  resultSchemas,
  isNotFound,
  isUnsupported,
  type Capability,
  type CapabilityHandler,
  type QueryOf,
} from '../../src/core/index.js';
import { simulators } from '../../sandbox/simulators.js';
import { driftedReply, keyCount } from '../helpers/drift.js';
import { loadReply } from '../helpers/fixtures.js';

/** One representative query per capability, wide enough for any vendor's fixture. */
const sampleQueries: { [C in Capability]: QueryOf<C> } = {
  'stock-quote': { symbol: 'AAPL' },
  'stock-quotes': { symbols: ['AAPL', 'MSFT'] },
  'stock-candles': { symbol: 'AAPL', interval: '1d', from: '2000-01-01', to: '2030-12-31', adjusted: true },
  'crypto-price': { symbol: 'BTC', vs: 'USD' },
  'crypto-candles': { symbol: 'BTC', vs: 'USD', interval: '4h', from: '2000-01-01', to: '2030-12-31' },
  'forex-rate': { base: 'EUR', quote: 'USD' },
  'news-by-symbol': { symbols: ['AAPL'], q: null, from: null, to: null, limit: 20, language: 'en' },
  'news-search': { symbols: [], q: 'apple', from: null, to: null, limit: 20, language: 'en' },
  'news-latest': { symbols: [], q: null, from: null, to: null, limit: 20, language: 'en' },
};

const configured = parseYaml(readFileSync(new URL('../../config/gateway.yaml', import.meta.url), 'utf8')) as {
  providers: Record<string, unknown>;
};
const now = new Date('2026-11-25T12:00:00Z');

/**
 * Answers with no object key at all, so no key can drift: coingecko's /ohlc is rows of bare numbers
 * (`[[closeMs, o, h, l, c]]`), pinned by position in its tuple schema instead.
 */
const keylessAnswers = ['coingecko crypto-candles'];

/** The query parameters the vendors take keys in (lower case), besides the placement each adapter uses. */
const keyParameterNames = ['apikey', 'api_key', 'access_key', 'api_token', 'token'];

describe.each(providers.map((adapter) => [adapter.name, adapter] as const))('adapter %s', (name, adapter) => {
  it('is named like its folder, listed in the registry in order, and configured', () => {
    expect(existsSync(fileURLToPath(new URL(`../../providers/${name}/index.ts`, import.meta.url)))).toBe(true);
    expect(configured.providers).toHaveProperty(name);
    expect(providers.map((entry) => entry.name)).toEqual([...providers.map((entry) => entry.name)].sort());
  });

  it('calls its vendor over https by default, so the key never travels in clear text unless an operator says so', () => {
    expect(new URL(adapter.defaultBaseUrl).protocol).toBe('https:');
  });

  it('has a simulator', () => {
    expect(simulators.map((simulator) => simulator.vendor)).toContain(name);
  });

  const declared = Object.keys(adapter.capabilities) as Capability[];
  it('declares only known capabilities', () => {
    expect(declared.length).toBeGreaterThan(0);
    for (const capability of declared) expect(capabilities).toContain(capability);
  });

  it.each(declared)('normalizes %s.ok.json into the canonical model', (capability) => {
    const handler = adapter.capabilities[capability] as CapabilityHandler<typeof capability, unknown>;
    const reply = loadReply(name, `${capability}.ok`);
    expect(adapter.classifyFailure(reply)).toBeNull();
    const parsed = handler.responseSchema.safeParse(reply.body);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    const normalized = handler.normalize(parsed.data, sampleQueries[capability] as never, { receivedAt: now });
    expect(isNotFound(normalized), JSON.stringify(normalized)).toBe(false);
    const checked = resultSchemas[capability].safeParse(normalized);
    expect(checked.success, JSON.stringify(checked.error?.issues)).toBe(true);
  });

  // A vendor's schema change (every field renamed) must fail the schema, which the engine records as `malformed` and
  // fails over from; read as an empty answer it would be a quiet "no data" or a 404.
  it.each(declared)('rejects %s.ok.json with every key renamed, at every depth', (capability) => {
    const handler = adapter.capabilities[capability] as CapabilityHandler<typeof capability, unknown>;
    const reply = loadReply(name, `${capability}.ok`);
    if (keyCount(reply.body) === 0) {
      expect(keylessAnswers).toContain(`${name} ${capability}`);
      return;
    }
    const drifted = driftedReply(name, `${capability}.ok`);
    // Not an error envelope either, so the engine goes on to the schema with it.
    expect(adapter.classifyFailure(drifted)).toBeNull();
    expect(handler.responseSchema.safeParse(drifted.body).success).toBe(false);
  });

  it.each(declared)('builds %s requests without the key parameter in the query', (capability) => {
    const handler = adapter.capabilities[capability] as CapabilityHandler<typeof capability, unknown>;
    const request = handler.buildRequest(sampleQueries[capability] as never, { now });
    if (isUnsupported(request) || isNotFound(request)) return;
    expect(request.method).toBe('GET');
    expect(request.path.startsWith('/')).toBe(true);
    // The transport adds the key where the adapter says; a builder never names it, nor the vendor's other key spellings.
    const queryNames = Object.keys(request.query ?? {}).map((name) => name.toLowerCase());
    for (const keyName of [...keyParameterNames, adapter.auth?.name.toLowerCase() ?? '']) {
      expect(queryNames).not.toContain(keyName);
    }
    expect(request.path).not.toMatch(/[?&](apiKey|token|access_key|apikey|api_token|api_key)=/i);
  });
});
