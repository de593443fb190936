import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providers } from '../../providers/index.js';
import { capabilities, type Capability, type VendorRequest } from '../../src/core/index.js';
import { intervals, type Interval } from '../../src/core/models/common.js';
import { resolveDateRange } from '../../src/http/schemas/params.js';
import { buildTestGateway, closeTestGateway, type TestGateway } from '../helpers/build-app.js';

/**
 * Hostile input, fuzzed (fast-check) over every route's path, query and headers: unicode, dot segments and
 * percent-encoded dots and slashes, huge and repeated values, empty strings, control characters. For every input:
 * never a 500; every non-2xx is problem+json with our shape; invalid input never reaches a vendor; a 2xx only for valid
 * input. Validity is decided by the oracle below, written from docs/api.md and independent of the route schemas, over
 * the URL exactly as inject sends it (light-my-request parses it with WHATWG URL, so dot segments are resolved before
 * the router sees them; test/e2e/http-errors.test.ts sends raw dot segments over a socket).
 *
 * FUZZ_SEED=<n> replays a run; a failure prints the seed, the shrunk counterexample and the path to it.
 */
const seed = Number(process.env.FUZZ_SEED ?? 20_261_203);
const runsByRoute = {
  'stock quote': 1_500,
  watchlist: 1_200,
  'stock candles': 1_200,
  'crypto price': 1_100,
  'crypto candles': 1_000,
  forex: 1_000,
  news: 1_200,
  'provider health': 600,
  'any path': 1_200,
} as const;
type RouteName = keyof typeof runsByRoute;

let gateway: TestGateway;
let vendorCalls = 0;
const statuses = new Map<number, number>();
let totalRuns = 0;
let validRuns = 0;
/** Valid requests the vendors failed (502, 503, 504): allowed, and reported. */
const vendorFailures: string[] = [];

// ---------------------------------------------------------------------------------------------------------------------
// The oracle: what is valid, from the API's rules, on the URL as sent.

const vendorNames = providers.map((adapter) => adapter.name);

function isAsciiAlnum(char: string): boolean {
  return /^[A-Za-z0-9]$/.test(char);
}

/** docs/api.md: 1–20 characters after trimming, letters and digits joined by single . - :, an optional leading ^. */
function isSymbol(raw: string): boolean {
  const symbol = raw.trim();
  if (symbol.length < 1 || symbol.length > 20) return false;
  let needLetterOrDigit = true;
  for (let index = symbol.startsWith('^') ? 1 : 0; index < symbol.length; index += 1) {
    const char = symbol[index] ?? '';
    if (isAsciiAlnum(char)) needLetterOrDigit = false;
    else if ('.-:'.includes(char) && !needLetterOrDigit) needLetterOrDigit = true;
    else return false;
  }
  return !needLetterOrDigit;
}

function isSymbolList(raw: string, max: number): boolean {
  const items = raw.split(',');
  if (!items.every(isSymbol)) return false;
  return new Set(items.map((item) => item.trim().toUpperCase())).size <= max;
}

function isLetters(raw: string, min: number, max: number): boolean {
  return raw.length >= min && raw.length <= max && [...raw].every((char) => /^[A-Za-z]$/.test(char));
}

/** docs/api.md: a `YYYY-MM-DD` calendar day from 1900 to 2999. */
function isDate(raw: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || raw < '1900' || raw >= '3000') return false;
  const date = new Date(`${raw}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === raw;
}

const truthy = ['true', '1', 'yes', 'on', 'y', 'enabled'];
const falsy = ['false', '0', 'no', 'off', 'n', 'disabled'];

/** The query as Fastify's parser reads it: & separated, + is a space, undecodable text kept, repeats an array. */
function parseQuery(search: string): Map<string, string[]> {
  const query = new Map<string, string[]>();
  for (const part of search.split('&')) {
    if (part === '') continue;
    const at = part.indexOf('=');
    const [key, value] = at === -1 ? [part, ''] : [part.slice(0, at), part.slice(at + 1)];
    const decode = (text: string) => {
      const spaced = text.replaceAll('+', ' ');
      try {
        return decodeURIComponent(spaced);
      } catch {
        return spaced;
      }
    };
    const name = decode(key);
    query.set(name, [...(query.get(name) ?? []), decode(value)]);
  }
  return query;
}

type Check = (value: string) => boolean;

/** Only the keys in `checks`, each at most once and passing its check. */
function queryValid(query: Map<string, string[]>, checks: Record<string, Check>): boolean {
  for (const [key, values] of query) {
    const check = Object.hasOwn(checks, key) ? checks[key] : undefined;
    if (!check || values.length !== 1 || !check(values[0] ?? '')) return false;
  }
  return true;
}

const one = (query: Map<string, string[]>, key: string) => query.get(key)?.[0];

function providerServes(capability: Capability | Capability[]) {
  return (name: string) =>
    /^[a-z][a-z0-9]{0,31}$/.test(name) && [capability].flat().some((wanted) => gateway.app.router.serves(wanted, name));
}

function candleRange(query: Map<string, string[]>): boolean {
  const interval = (one(query, 'interval') ?? '1d') as Interval;
  const from = one(query, 'from');
  const to = one(query, 'to');
  try {
    resolveDateRange(interval, { from, to }, new Date());
    return true;
  } catch {
    return false;
  }
}

const candleChecks: Record<string, Check> = {
  interval: (value) => (intervals as readonly string[]).includes(value),
  from: isDate,
  to: isDate,
};

/** Whether a request is valid input for the gateway: a route of the API with every input passing its rules. */
function isValidRequest(method: string, url: string, headers: Record<string, string>): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  const sent = new URL(url, 'http://localhost');
  const raw = sent.pathname.split('/').slice(1);
  const segments: string[] = [];
  for (const segment of raw) {
    try {
      segments.push(decodeURIComponent(segment));
    } catch {
      return false;
    }
  }
  if (segments.some((segment) => segment.length > gateway.config.server.maxParamLength)) return false;
  const query = parseQuery(sent.search.slice(1));
  const priority = headers['x-priority'];
  const dataHeaders = priority === undefined || ['critical', 'high', 'normal', 'low'].includes(priority);
  const path = segments.join('/');
  const [v1, family, first, second, ...rest] = segments;

  if (['health', 'metrics', 'openapi.json', 'v1/providers'].includes(path)) return true;
  if (v1 !== 'v1' || (!dataHeaders && family !== 'providers')) return false;
  if (family === 'providers' && second === 'health' && rest.length === 0 && first !== undefined) {
    return (
      gateway.app.router.registry.find(first) !== undefined &&
      queryValid(query, { probe: (value) => [...truthy, ...falsy].includes(value.toLowerCase()) })
    );
  }
  if (family === 'stocks' && first === 'quotes' && second === undefined) {
    return (
      query.has('symbols') &&
      queryValid(query, {
        symbols: (value) => isSymbolList(value, 50),
        provider: providerServes(['stock-quotes', 'stock-quote']),
      })
    );
  }
  if (family === 'stocks' && first !== undefined && rest.length === 0 && isSymbol(first)) {
    if (second === 'quote') return queryValid(query, { provider: providerServes('stock-quote') });
    if (second === 'candles') {
      return (
        queryValid(query, {
          ...candleChecks,
          adjusted: (value) => ['true', 'false', '1', '0'].includes(value.toLowerCase()),
          provider: providerServes('stock-candles'),
        }) && candleRange(query)
      );
    }
    return false;
  }
  if (family === 'crypto' && first !== undefined && rest.length === 0 && isSymbol(first)) {
    const vs = (value: string) => isLetters(value.trim(), 3, 5);
    if (second === 'price') return queryValid(query, { vs, provider: providerServes('crypto-price') });
    if (second === 'candles') {
      return (
        queryValid(query, { ...candleChecks, vs, provider: providerServes('crypto-candles') }) && candleRange(query)
      );
    }
    return false;
  }
  if (family === 'forex' && first !== undefined && second !== undefined && rest.length === 0) {
    return (
      isLetters(first, 3, 3) && isLetters(second, 3, 3) && queryValid(query, { provider: providerServes('forex-rate') })
    );
  }
  if (family === 'news' && first === undefined) {
    const capability: Capability = query.has('symbols')
      ? 'news-by-symbol'
      : query.has('q')
        ? 'news-search'
        : 'news-latest';
    const from = one(query, 'from');
    const to = one(query, 'to');
    return (
      !(query.has('symbols') && query.has('q')) &&
      !(from !== undefined && to !== undefined && isDate(from) && isDate(to) && from > to) &&
      queryValid(query, {
        symbols: (value) => isSymbolList(value, 20),
        q: (value) => value.trim().length >= 1 && value.trim().length <= 200 && !/\p{Cc}/u.test(value.trim()),
        from: isDate,
        to: isDate,
        limit: (value) => Number.isInteger(Number(value)) && Number(value) >= 1 && Number(value) <= 100,
        language: (value) => /^[a-z]{2}$/.test(value),
        provider: providerServes(capability),
      })
    );
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------------
// The generators.

const encode = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return text;
  }
};

/** Symbols of every documented form, in any case, sometimes padded with spaces. */
const validSymbol = fc
  .tuple(
    fc.stringMatching(/^\^?[A-Za-z0-9]{1,6}(?:[.:-][A-Za-z0-9]{1,4}){0,2}$/),
    fc.constantFrom('', ' ', '  '),
    fc.constantFrom('', ' ', '\t'),
  )
  .map(([symbol, before, after]) => `${before}${symbol}${after}`);
const knownSymbol = fc.constantFrom('AAPL', 'msft', 'BRK.B', '^GSPC', 'BTC', 'eth', 'X:BTCUSD', 'BTC-USD', 'ZZZNOPE');

/** Pieces of hostile path text: dot segments, encoded dots and slashes, control characters, unicode that folds. */
const hostileToken = fc.oneof(
  fc.constantFrom('.', '..', '...', '%2E', '%2e', '%2E%2E', '.%2e', '%2e.', '%252E', '%2F', '%2f', '/', '\\', '%5C'),
  fc.constantFrom('%00', '%0A', '%0D%0A', '%20', '%09', '%', '%zz', '%C3', '?', '#', ';', '&', '=', '+', ','),
  fc.constantFrom('ﬃ', 'ß', 'ı', 'K', 'é', '\u0000', '\u0007', '\t', '\n', ' ', '\u00a0', '\ufeff', '\u202e', '漢'),
  fc.constantFrom('^', '-', ':', 'A', 'a', '0', 'AAPL', 'BRK', 'B', 'USD', 'quote', 'v1', 'stocks'),
  fc.string({ unit: 'grapheme', maxLength: 3 }),
  fc.string({ unit: 'grapheme', maxLength: 3 }).map(encode),
  fc.string({ unit: 'binary', maxLength: 3 }).map(encode),
);

const hugeText = fc
  .tuple(
    fc.constantFrom('A', 'a.', '%2E', 'ﬃ', ',', 'AAPL,', '.', '\u0000', 'é'),
    fc.constantFrom(21, 64, 65, 300, 5_000),
  )
  .map(([piece, count]) => piece.repeat(count));

/** A path segment as written into the URL. */
const segment = (valid: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 5, arbitrary: valid.map(encode) },
    { weight: 6, arbitrary: fc.array(hostileToken, { maxLength: 6 }).map((tokens) => tokens.join('')) },
    { weight: 1, arbitrary: hugeText },
    { weight: 1, arbitrary: fc.constant('') },
  );
const symbolSegment = segment(fc.oneof(validSymbol, knownSymbol));
const currencySegment = segment(fc.constantFrom('USD', 'eur', 'Jpy', 'GBP', 'CHF', 'US', 'USDT', 'EURO', ' USD'));

const junkValue = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.array(hostileToken, { maxLength: 5 }).map((tokens) => tokens.join('')),
  hugeText,
  fc.constant(''),
);

const today = Date.now();
const dayOffset = (days: number) => new Date(today - days * 86_400_000).toISOString().slice(0, 10);
const dateValue = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -3, max: 400 }).map(dayOffset) },
  { weight: 1, arbitrary: fc.constantFrom('1900-01-01', '2999-12-31', '0000-02-29', '2026-02-30', '2026-1-01') },
  { weight: 1, arbitrary: fc.constantFrom('20261101', '2026-11-01T00:00:00Z', ' 2026-11-01', '') },
  { weight: 1, arbitrary: junkValue },
);
const listOf = (item: fc.Arbitrary<string>, maxLength: number) =>
  fc.array(item, { maxLength }).map((items) => items.join(','));
const symbolList = fc.oneof(
  { weight: 5, arbitrary: listOf(fc.oneof(validSymbol, knownSymbol), 6) },
  { weight: 2, arbitrary: listOf(fc.oneof(validSymbol, knownSymbol, junkValue), 6) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(listOf(knownSymbol, 4), fc.array(hostileToken, { minLength: 1, maxLength: 3 }))
      .map(([list, tokens]) => `${list},${tokens.join('')}`),
  },
  { weight: 1, arbitrary: fc.integer({ min: 19, max: 60 }).chain((count) => listOf(knownSymbol, count)) },
  { weight: 1, arbitrary: fc.integer({ min: 15, max: 60 }).chain((count) => listOf(validSymbol, count)) },
  { weight: 1, arbitrary: fc.constantFrom('AAPL,'.repeat(2_000), ',', ',,AAPL', '') },
);
/** Mostly values a client could mean, some junk. */
const mostly = (valid: fc.Arbitrary<string>, odd: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: odd }, { weight: 1, arbitrary: junkValue });

/** Each query key's values: the valid ones, odd ones near them, and junk. */
const valuesFor: Record<string, fc.Arbitrary<string>> = {
  provider: mostly(
    fc.constantFrom(...vendorNames),
    fc.constantFrom('acme', 'Polygon', 'polygon ', '../polygon', 'polygon%2E', 'p'.repeat(33), ''),
  ),
  symbols: symbolList,
  interval: mostly(fc.constantFrom(...intervals), fc.constantFrom('2d', '1M', '1D', '', ' 1d', '1d,1h')),
  from: dateValue,
  to: dateValue,
  adjusted: mostly(fc.constantFrom('true', 'false', '1', '0', 'TRUE'), fc.constantFrom('yes', '', ' true')),
  vs: mostly(fc.constantFrom('USD', 'usd', 'EUR', 'btc', 'USDT', ' usd '), fc.constantFrom('US', 'USDTXX', 'ﬃ', 'U.S')),
  q: mostly(
    fc.oneof(fc.constantFrom('earnings', 'x'.repeat(200), ` ${'x'.repeat(200)} `), fc.string({ unit: 'grapheme' })),
    fc.constantFrom('  ', 'x'.repeat(201), '\u0000'),
  ),
  limit: mostly(
    fc.constantFrom('1', '20', '100', '1e1', '0x10', ' 5 '),
    fc.constantFrom('101', '0', '-1', '1.5', 'Infinity', ''),
  ),
  language: mostly(fc.constantFrom('en', 'de'), fc.constantFrom('EN', 'eng', 'e', 'zz')),
  probe: mostly(fc.constantFrom('false', '0', 'no', 'off', 'N', 'FALSE', 'true'), fc.constantFrom('maybe', 'tru', '')),
};
const junkKeys = fc.oneof(
  fc.constantFrom('symbol', 'providr', 'Provider', '', '__proto__', 'constructor', 'toString', 'a[b]', 'provider[]'),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);

/** A query string over `keys` (repeats, junk keys, raw or encoded values) as written into the URL. */
function queryString(keys: readonly string[]) {
  const pair = fc
    .oneof({ weight: 8, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: junkKeys })
    .chain((key) =>
      fc.tuple(
        fc.constant(key),
        Object.hasOwn(valuesFor, key) ? (valuesFor[key] as fc.Arbitrary<string>) : junkValue,
        fc.constantFrom('encoded', 'encoded', 'raw', 'bare'),
      ),
    );
  const pairs = fc.oneof(
    { weight: 2, arbitrary: fc.constant([]) },
    { weight: 3, arbitrary: fc.array(pair, { minLength: 1, maxLength: 4 }) },
  );
  return pairs.map((pairs) => {
    if (pairs.length === 0) return '';
    const text = pairs.map(([key, value, form]) =>
      form === 'bare' ? encode(key) : form === 'raw' ? `${key}=${value}` : `${encode(key)}=${encode(value)}`,
    );
    return `?${text.join('&')}`;
  });
}

const headerValue = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.constantFrom('', ' ', '\u0000', 'a\r\nx-injected: 1', 'x'.repeat(10_000), 'é', '\t'),
);
const headers = fc.record(
  {
    'x-priority': fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('critical', 'high', 'normal', 'low') },
      { weight: 1, arbitrary: fc.oneof(fc.constantFrom('High', 'urgent', '', ' low'), headerValue) },
    ),
    'cache-control': fc.oneof(fc.constantFrom('no-cache', 'max-age=0', 'NO-CACHE, no-store'), headerValue),
    'x-request-id': fc.oneof(fc.constantFrom('client-1', 'a'.repeat(64), 'a'.repeat(65), 'a b'), headerValue),
    'x-fuzz': headerValue,
    accept: fc.constantFrom('application/json', '*/*', 'text/html', 'application/problem+json'),
  },
  { requiredKeys: [] },
);
const method = fc.oneof(
  { weight: 17, arbitrary: fc.constant('GET') },
  { weight: 1, arbitrary: fc.constant('HEAD') },
  { weight: 2, arbitrary: fc.constantFrom('POST', 'PUT', 'DELETE', 'PATCH') },
);

const requestTo = (path: fc.Arbitrary<string>, keys: readonly string[]) =>
  fc.record({
    method,
    url: fc.tuple(path, queryString(keys)).map(([pathText, query]) => `${pathText}${query}`),
    headers,
  });

const dataKeys = ['provider'] as const;
const candleKeys = ['interval', 'from', 'to', 'provider'] as const;
const routes: Record<RouteName, fc.Arbitrary<{ method: string; url: string; headers: Record<string, string> }>> = {
  'stock quote': requestTo(
    symbolSegment.map((symbol) => `/v1/stocks/${symbol}/quote`),
    dataKeys,
  ),
  watchlist: requestTo(fc.constant('/v1/stocks/quotes'), ['symbols', 'symbols', 'provider']),
  'stock candles': requestTo(
    symbolSegment.map((symbol) => `/v1/stocks/${symbol}/candles`),
    [...candleKeys, 'adjusted'],
  ),
  'crypto price': requestTo(
    symbolSegment.map((symbol) => `/v1/crypto/${symbol}/price`),
    ['vs', 'provider'],
  ),
  'crypto candles': requestTo(
    symbolSegment.map((symbol) => `/v1/crypto/${symbol}/candles`),
    [...candleKeys, 'vs'],
  ),
  forex: requestTo(
    fc.tuple(currencySegment, currencySegment).map(([base, quote]) => `/v1/forex/${base}/${quote}`),
    dataKeys,
  ),
  news: requestTo(fc.constant('/v1/news'), ['symbols', 'q', 'from', 'to', 'limit', 'language', 'provider']),
  'provider health': requestTo(
    segment(fc.constantFrom(...vendorNames, 'acme', 'POLYGON')).map((name) => `/v1/providers/${name}/health`),
    ['probe'],
  ),
  // Paths of any shape, from the API's own words and hostile tokens: the router's edges, and dot segments that
  // resolve into (or out of) real routes. No `events` (a stream never ends) nor `ready` (its 503 is its own body).
  'any path': requestTo(
    fc
      .array(
        fc.oneof(
          fc.constantFrom('v1', 'stocks', 'crypto', 'forex', 'news', 'providers', 'health', 'metrics', 'openapi.json'),
          fc.constantFrom('AAPL', 'BTC', 'EUR', 'USD', 'quote', 'quotes', 'price', 'candles', 'polygon', 'V1', 'x'),
          fc.constantFrom('.', '..', '%2E', '%2e%2E', '%2F', '', '%76%31', 'stock%73', '\\'),
        ),
        { minLength: 1, maxLength: 7 },
      )
      .map((parts) => `/${parts.join('/')}`)
      // `//…` or `/\…` is a URL with an authority, which no HTTP request line carries (inject cannot send it).
      .filter((path) => !/^\/[/\\]/.test(path)),
    ['provider', 'symbols', 'vs', 'probe'],
  ),
};

// ---------------------------------------------------------------------------------------------------------------------
// The property.

async function checkRequest(input: { method: string; url: string; headers: Record<string, string> }): Promise<void> {
  const valid = isValidRequest(input.method, input.url, input.headers);
  const before = vendorCalls;
  const response = await gateway.app.inject({ method: input.method as 'GET', url: input.url, headers: input.headers });
  const calls = vendorCalls - before;
  const status = response.statusCode;
  statuses.set(status, (statuses.get(status) ?? 0) + 1);
  totalRuns += 1;
  if (valid) validRuns += 1;
  if (status >= 500 && status !== 500) vendorFailures.push(`${status} ${input.method} ${input.url.slice(0, 120)}`);

  expect(status, 'never a 500').not.toBe(500);
  expect(status).toBeGreaterThanOrEqual(200);
  expect(response.headers['x-request-id'], 'every answer names its request').toBeTruthy();
  if (status >= 300) {
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    if (input.method !== 'HEAD') {
      const problem = response.json<Record<string, unknown>>();
      expect(problem).toMatchObject({
        type: expect.stringMatching(/^(urn:market-data-gateway:problem:[a-z-]+|about:blank)$/),
        title: expect.any(String),
        status,
        instance: expect.any(String),
        requestId: response.headers['x-request-id'],
      });
    }
  }
  if (!valid) {
    expect(status, 'invalid input is refused').toBeGreaterThanOrEqual(400);
    expect(status, 'invalid input is the client’s error').toBeLessThan(500);
    expect(calls, 'invalid input never reaches a vendor').toBe(0);
  }
  if (status < 300) expect(valid, 'a 2xx only for valid input').toBe(true);
}

describe('fuzzing every route with hostile input (fast-check)', () => {
  beforeAll(async () => {
    gateway = await buildTestGateway({
      scope: 'manual',
      adjust: (config) => {
        // One client sends everything: no client limit. The cache is on (the fast path and remembered 404s are fuzzed
        // too), with TTLs longer than the run, so no background refresh calls a vendor during a later input.
        config.server.clientRateLimit.enabled = false;
        config.cache.enabled = true;
        config.cache.ttlMs = Object.fromEntries(capabilities.map((capability) => [capability, 3_600_000]));
        config.cache.closedCandlesTtlMs = 3_600_000;
      },
    });
    // Every vendor call, counted where it leaves: the vendor clients.
    for (const vendor of gateway.app.router.registry.enabled) {
      const send = vendor.client.send.bind(vendor.client);
      vendor.client.send = (request: VendorRequest, signal: AbortSignal) => {
        vendorCalls += 1;
        return send(request, signal);
      };
    }
  });
  afterAll(async () => {
    await closeTestGateway(gateway);
    console.info(
      `fuzz: ${totalRuns} inputs (${validRuns} valid), seed ${seed}, statuses ${JSON.stringify(Object.fromEntries(statuses))}` +
        (vendorFailures.length > 0 ? `\nvendors failed for: ${vendorFailures.slice(0, 10).join('\n  ')}` : ''),
    );
  });

  for (const [name, numRuns] of Object.entries(runsByRoute) as [RouteName, number][]) {
    it(`${name}: ${numRuns} inputs`, { timeout: 60_000 }, async () => {
      let runs = 0;
      const details = await fc.check(
        fc.asyncProperty(routes[name], async (input) => {
          runs += 1;
          await checkRequest(input);
        }),
        { seed: seed + Object.keys(runsByRoute).indexOf(name), numRuns },
      );
      if (details.failed) {
        const cause =
          details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
        throw new Error(`${name}, seed ${details.seed}:\n${fc.defaultReportMessage(details)}\n${cause}`);
      }
      expect(details.numRuns).toBe(numRuns);
      expect(runs).toBe(numRuns);
    });
  }

  it('ran 10 000 inputs in all, valid and invalid ones', () => {
    expect(totalRuns).toBe(10_000);
    expect(validRuns).toBeGreaterThan(1_000);
    expect(totalRuns - validRuns).toBeGreaterThan(4_000);
  });
});
