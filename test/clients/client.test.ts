import { createServer, type Server } from 'node:http';
import {
  createGatewayClient,
  GatewayProblem,
  unreachableProblemType,
  type components,
  type paths,
} from '@market-data-gateway/client';
import type { ErrorResponse, ResponseObjectMap, SuccessResponse } from 'openapi-typescript-helpers';
import { describe, expect, expectTypeOf, it, onTestFinished } from 'vitest';
import { hashClientKey } from '../../src/config/env-overrides.js';
import { listeningGateway } from '../helpers/listening-gateway.js';

type QuoteResponses = ResponseObjectMap<paths['/v1/stocks/{symbol}/quote']['get']>;

/** A stand-in gateway that answers each request with the next of `answers` (status, headers, body). */
async function scriptedServer(answers: { status: number; headers?: Record<string, string>; body: unknown }[]) {
  const seen: { url: string; headers: Record<string, string | string[] | undefined> }[] = [];
  const server: Server = createServer((request, response) => {
    seen.push({ url: request.url ?? '', headers: request.headers });
    const answer = answers[Math.min(seen.length - 1, answers.length - 1)]!;
    response.writeHead(answer.status, answer.headers).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, seen };
}

/** The GatewayProblem `pending` rejects with (failing the test when it resolves or rejects with anything else). */
async function problemOf(pending: Promise<unknown>): Promise<GatewayProblem> {
  const error: unknown = await pending.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GatewayProblem);
  return error as GatewayProblem;
}

const problem503 = {
  type: 'urn:market-data-gateway:problem:no-provider',
  title: 'No vendor available',
  status: 503,
  detail: 'every vendor for stock-quote is unavailable right now',
  instance: '/v1/stocks/AAPL/quote',
  requestId: 'r-1',
  attempts: [{ provider: 'polygon', outcome: 'cooling-down', ms: 0 }],
};
/** A stand-in quote answer for the scripted server. */
const quote = {
  data: { symbol: 'AAPL' },
  meta: { provider: 'polygon', cache: 'miss', attempts: [], requestId: 'r-2', latencyMs: 1 },
};
const problemJson = { 'content-type': 'application/problem+json; charset=utf-8' };

describe('the generated types', () => {
  it('find the problem type by its media type on every error status, and the declared headers', () => {
    expectTypeOf<ErrorResponse<QuoteResponses, 'application/problem+json'>>().toEqualTypeOf<
      components['schemas']['Problem']
    >();
    expectTypeOf<SuccessResponse<QuoteResponses, 'application/json'>['meta']>().toEqualTypeOf<
      components['schemas']['Meta']
    >();
    type Headers<Status extends keyof QuoteResponses> = QuoteResponses[Status]['headers'];
    expectTypeOf<Headers<200>['X-Provider']>().toEqualTypeOf<string>();
    expectTypeOf<Headers<200>['X-Cache']>().toEqualTypeOf<'hit' | 'miss' | 'stale' | 'coalesced'>();
    expectTypeOf<Headers<502>['X-Request-Id']>().toEqualTypeOf<string>();
    expectTypeOf<Headers<429>['Retry-After']>().toEqualTypeOf<number>();
    expectTypeOf<Headers<503>['Retry-After']>().toEqualTypeOf<number | undefined>();
  });
});

describe('createGatewayClient against the demo gateway', () => {
  it('answers a quote with its meta, fresh for what its Cache-Control max-age says is left', async () => {
    const gateway = await listeningGateway((config) => (config.cache.enabled = true));
    const client = createGatewayClient({ baseUrl: gateway.url });
    const first = await client.quote('aapl');
    expect(first.data.symbol).toBe('AAPL');
    expect(first.meta).toMatchObject({ cache: 'miss', provider: expect.any(String) });
    expect(first.meta.attempts.at(-1)?.outcome).toBe('ok');
    // max-age counts whole seconds left of the 5 s TTL, rounded down.
    expect([4_000, 5_000]).toContain(first.freshForMs);
    const second = await client.quote('AAPL');
    expect(second.meta.cache).toBe('hit');
    expect(second.freshForMs % 1_000).toBe(0);
    expect(second.freshForMs).toBeLessThanOrEqual(5_000 - (second.meta.ageMs ?? 0));
    expect(second.freshForMs).toBeGreaterThanOrEqual(5_000 - (second.meta.ageMs ?? 0) - 1_000);
  });

  it('answers a watchlist, candles, crypto, forex, news and the vendor list', async () => {
    const client = createGatewayClient({ baseUrl: (await listeningGateway()).url });
    const watchlist = await client.quotes(['AAPL', 'MSFT', 'ZZZQ']);
    expect(watchlist.data.quotes.map((quote) => quote.symbol).sort()).toEqual(['AAPL', 'MSFT']);
    expect(watchlist.data.missing).toEqual(['ZZZQ']);
    const candles = await client.candles('AAPL', { interval: '1d', from: '2026-10-01', to: '2026-10-31' });
    expect(candles.data.candles.length).toBeGreaterThan(0);
    expect([59_000, 60_000]).toContain(candles.freshForMs);
    expect((await client.cryptoPrice('BTC', { vs: 'USD' })).data.symbol).toBe('BTC');
    expect((await client.cryptoCandles('ETH', { interval: '4h' })).data.candles.length).toBeGreaterThan(0);
    expect((await client.forexRate('eur', 'usd')).data).toMatchObject({ base: 'EUR', quote: 'USD' });
    expect((await client.news({ symbols: 'AAPL', limit: 3 })).data.articles.length).toBeGreaterThan(0);
    const providers = await client.providers();
    expect(providers.data.map((provider) => provider.name)).toContain('polygon');
  });

  it('throws a GatewayProblem with the problem details and the attempts (404: no vendor knows the symbol)', async () => {
    const client = createGatewayClient({ baseUrl: (await listeningGateway()).url });
    const problem = await problemOf(client.quote('ZZZZ'));
    expect(problem.status).toBe(404);
    expect(problem.problem.type).toBe('urn:market-data-gateway:problem:not-found');
    expect(problem.attempts.map((attempt) => attempt.outcome)).toContain('not-found');
    expect(problem.problem.requestId).not.toBe('');
  });

  it('throws the 400 problem naming the field', async () => {
    const client = createGatewayClient({ baseUrl: (await listeningGateway()).url });
    const error = await problemOf(client.quote('A..B'));
    expect(error.status).toBe(400);
    expect(error.problem.errors?.[0]).toMatchObject({ in: 'path', field: 'symbol' });
  });

  it('sends the API key as X-API-Key', async () => {
    const gateway = await listeningGateway((config) => {
      config.auth.mode = 'keys';
      config.auth.keys = [{ name: 'web', sha256: hashClientKey('web-key-0123456789abcdef'), scopes: ['data'] }];
    });
    const refused = await problemOf(createGatewayClient({ baseUrl: gateway.url }).quote('AAPL'));
    expect(refused.status).toBe(401);
    const client = createGatewayClient({ baseUrl: gateway.url, apiKey: 'web-key-0123456789abcdef' });
    expect((await client.quote('AAPL')).data.symbol).toBe('AAPL');
  });

  it('rejects with the AbortError when the signal aborts, not with a problem', async () => {
    const client = createGatewayClient({ baseUrl: (await listeningGateway()).url });
    const error = await client.quote('AAPL', { signal: AbortSignal.abort() }).catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(GatewayProblem);
    expect((error as Error).name).toBe('AbortError');
  });

  it('throws the unreachable problem (status 0) when nothing answers', async () => {
    const gateway = await listeningGateway(undefined, 'manual');
    await gateway.app.close();
    await gateway.sandbox.close();
    const error = await problemOf(createGatewayClient({ baseUrl: gateway.url }).quote('AAPL'));
    expect(error.problem).toMatchObject({ type: unreachableProblemType, status: 0, instance: '/v1/stocks/AAPL/quote' });
  });
});

describe('freshForMs', () => {
  it('comes from Cache-Control max-age less Age when the gateway sends them, before the shipped TTL', async () => {
    const server = await scriptedServer([
      {
        status: 200,
        headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=30', age: '10' },
        body: quote,
      },
    ]);
    expect((await createGatewayClient({ baseUrl: server.url }).quote('AAPL')).freshForMs).toBe(20_000);
  });
});

describe('retry on 503 with Retry-After', () => {
  it('asks again once after the wait, and answers', async () => {
    const server = await scriptedServer([
      { status: 503, headers: { ...problemJson, 'retry-after': '1' }, body: problem503 },
      { status: 200, headers: { 'content-type': 'application/json' }, body: quote },
    ]);
    const started = performance.now();
    const answer = await createGatewayClient({ baseUrl: server.url }).quote('AAPL');
    expect(answer.data.symbol).toBe('AAPL');
    expect(server.seen).toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('gives up after `attempts`, and hands over the 503 with its attempts and Retry-After', async () => {
    const server = await scriptedServer([
      { status: 503, headers: { ...problemJson, 'retry-after': '0' }, body: problem503 },
    ]);
    const client = createGatewayClient({ baseUrl: server.url, retry: { attempts: 2, maxWaitSeconds: 5 } });
    const error = await problemOf(client.quote('AAPL'));
    expect(server.seen).toHaveLength(3);
    expect(error.status).toBe(503);
    expect(error.retryAfterSeconds).toBe(0);
    expect(error.attempts).toEqual(problem503.attempts);
  });

  it('does not wait past maxWaitSeconds, nor retry a 503 without Retry-After or a 502', async () => {
    for (const answer of [
      { status: 503, headers: { ...problemJson, 'retry-after': '30' }, body: problem503 },
      { status: 503, headers: problemJson, body: problem503 },
      { status: 502, headers: { ...problemJson, 'retry-after': '1' }, body: { ...problem503, status: 502 } },
    ]) {
      const server = await scriptedServer([answer]);
      const error = await problemOf(createGatewayClient({ baseUrl: server.url }).quote('AAPL'));
      expect(error.status).toBe(answer.status);
      expect(server.seen).toHaveLength(1);
    }
  });

  it('turns an error answer without problem details (a proxy in between) into an about:blank problem', async () => {
    const server = await scriptedServer([{ status: 502, headers: { 'content-type': 'text/plain' }, body: '' }]);
    const error = await problemOf(createGatewayClient({ baseUrl: server.url }).quote('AAPL'));
    expect(error.problem).toMatchObject({ type: 'about:blank', status: 502, instance: '/v1/stocks/AAPL/quote' });
  });
});
