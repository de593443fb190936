import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderOpenApi } from '../../scripts/openapi.js';

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
    ]);
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item))
        expect(operation.responses, `${method} ${path}`).toHaveProperty('200');
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
