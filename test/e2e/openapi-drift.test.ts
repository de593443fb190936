import { readFileSync } from 'node:fs';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { renderOpenApi } from '../../scripts/openapi.js';
import { hashClientKey } from '../../src/config/env-overrides.js';
import { buildTestGateway, type TestGateway } from '../helpers/build-app.js';

interface DeclaredResponse {
  content?: Record<string, unknown>;
  headers?: Record<string, { required?: boolean }>;
}
type Operations = Record<string, { get: { responses: Record<string, DeclaredResponse> } }>;

/** The committed document; the first test checks it is what the routes produce. */
const { paths } = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')) as {
  paths: Operations;
};

/** The headers the API itself adds (not helmet's or Node's), which a generated client may read. */
const apiHeaders = [
  'x-request-id',
  'x-provider',
  'x-cache',
  'retry-after',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'www-authenticate',
  'cache-control',
  'age',
];

async function expectDeclared(gateway: TestGateway, path: string, url: string, headers: Record<string, string> = {}) {
  const answer: LightMyRequestResponse = await gateway.app.inject({ method: 'GET', url, headers });
  const declared = paths[path]?.get.responses[String(answer.statusCode)];
  expect(declared, `${url}: ${answer.statusCode} is declared`).toBeDefined();
  const mediaType = String(answer.headers['content-type']).split(';')[0]!;
  expect(Object.keys(declared!.content ?? {}), `${url}: ${answer.statusCode} media type`).toEqual([mediaType]);
  const declaredHeaders = Object.entries(declared!.headers ?? {});
  const sent = apiHeaders.filter((name) => answer.headers[name] !== undefined);
  for (const name of sent) {
    expect(
      declaredHeaders.map(([header]) => header.toLowerCase()),
      `${url}: ${answer.statusCode} declares ${name}`,
    ).toContain(name);
  }
  for (const [header] of declaredHeaders.filter(([, object]) => object.required)) {
    expect(answer.headers[header.toLowerCase()], `${url}: ${answer.statusCode} sends required ${header}`).toBeDefined();
  }
  return answer.statusCode;
}

describe('openapi/openapi.json', () => {
  it('matches what the route schemas produce (run `npm run openapi` after changing a route)', async () => {
    const committed = readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8');
    expect(JSON.parse(committed)).toEqual(JSON.parse(await renderOpenApi()));
  });

  it('documents every data and operator endpoint, each with a success and an example', async () => {
    const document = JSON.parse(await renderOpenApi()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(Object.keys(document.paths).sort()).toEqual([
      '/admin/reload',
      '/health',
      '/metrics',
      '/ready',
      '/v1/crypto/{symbol}/candles',
      '/v1/crypto/{symbol}/price',
      '/v1/events',
      '/v1/forex/{base}/{quote}',
      '/v1/instances',
      '/v1/news',
      '/v1/providers',
      '/v1/providers/{name}/health',
      '/v1/stocks/quotes',
      '/v1/stocks/{symbol}/candles',
      '/v1/stocks/{symbol}/quote',
      '/v1/stream',
      '/v1/stream/sse',
    ]);
    for (const [path, item] of Object.entries(document.paths)) {
      // The WebSocket route's success is the upgrade itself.
      const success = path === '/v1/stream' ? '101' : '200';
      for (const [method, operation] of Object.entries(item))
        expect(operation.responses, `${method} ${path}`).toHaveProperty(success);
    }
    const text = JSON.stringify(document);
    for (const model of [
      'StockQuote',
      'StockCandles',
      'CryptoPrice',
      'CryptoCandles',
      'ForexRate',
      'News',
      'Problem',
      'Meta',
    ]) {
      expect(text, model).toMatch(new RegExp(`"${model}":\\{[^]*?"example"`));
    }
  });
});

describe('the responses openapi/openapi.json declares', () => {
  it('are those the server sends: media type (problem+json for errors) and every header it adds', async () => {
    const gateway = await buildTestGateway({ adjust: (config) => (config.server.clientRateLimit.max = 9) });
    const quote = '/v1/stocks/{symbol}/quote';
    expect(await expectDeclared(gateway, quote, '/v1/stocks/AAPL/quote')).toBe(200);
    expect(await expectDeclared(gateway, quote, '/v1/stocks/A..B/quote')).toBe(400);
    expect(await expectDeclared(gateway, quote, '/v1/stocks/ZZZZ/quote')).toBe(404);
    await gateway.app.inject({ method: 'POST', url: '/sandbox/vendors/polygon/fault', payload: { mode: 'error' } });
    expect(await expectDeclared(gateway, quote, '/v1/stocks/AAPL/quote?provider=polygon')).toBe(502);
    expect(await expectDeclared(gateway, '/v1/providers', '/v1/providers')).toBe(200);
    expect(await expectDeclared(gateway, '/v1/providers/{name}/health', '/v1/providers/nope/health')).toBe(404);
    expect(await expectDeclared(gateway, '/v1/instances', '/v1/instances')).toBe(200);
    expect(await expectDeclared(gateway, '/health', '/health')).toBe(200);
    expect(await expectDeclared(gateway, '/ready', '/ready')).toBe(200);
    expect(await expectDeclared(gateway, '/v1/news', '/v1/news?symbols=AAPL')).toBe(200);
    // The tenth request counted by the client rate limit (/health and /ready are not).
    expect(await expectDeclared(gateway, quote, '/v1/stocks/MSFT/quote')).toBe(429);
  });

  it('are those the server sends to a client without a key, or without the scope (401, 403)', async () => {
    const key = 'data-key-0123456789abcdef';
    const gateway = await buildTestGateway({
      adjust: (config) => {
        config.auth.mode = 'keys';
        config.auth.keys = [{ name: 'web', sha256: hashClientKey(key), scopes: ['data'] }];
      },
    });
    expect(await expectDeclared(gateway, '/v1/stocks/{symbol}/quote', '/v1/stocks/AAPL/quote')).toBe(401);
    expect(await expectDeclared(gateway, '/v1/providers', '/v1/providers', { 'x-api-key': key })).toBe(403);
  });
});
