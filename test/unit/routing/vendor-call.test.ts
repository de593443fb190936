import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCapability, defineProvider, type VendorReply } from '../../../src/core/index.js';
import { callVendor } from '../../../src/routing/vendor-call.js';
import { createVendorClient, TransportError, type VendorClient } from '../../../src/transport/vendor-client.js';

const quote = defineCapability({
  capability: 'stock-quote',
  responseSchema: z.object({ price: z.number() }),
  buildRequest: (query) => {
    if (query.symbol === 'BUG') throw new TypeError('a builder bug');
    return query.symbol === 'NOPE'
      ? { unsupported: true as const, detail: 'no such market' }
      : { method: 'GET' as const, path: `/q/${query.symbol}` };
  },
  normalize: (raw, query) => {
    // What providers/common/time.ts does with a timestamp out of Date's range.
    if (raw.price < 0) new Date(8.64e15 + 1).toISOString();
    return raw.price === 0
      ? { notFound: true as const, detail: 'zero price' }
      : {
          symbol: query.symbol,
          price: raw.price,
          change: null,
          changePercent: null,
          open: null,
          high: null,
          low: null,
          previousClose: null,
          volume: null,
          currency: null,
          asOf: null,
        };
  },
});
const adapter = defineProvider({
  name: 'acme',
  docsUrl: 'https://acme.example/docs',
  defaultBaseUrl: 'https://acme.example',
  auth: null,
  capabilities: { 'stock-quote': quote },
  healthCheck: null,
  classifyFailure: (reply) =>
    (reply.body as { error?: string }).error === 'quota'
      ? { kind: 'rate-limited', detail: 'quota', retryAfterMs: 10 }
      : null,
});
const replying = (reply: Partial<VendorReply> | Error): VendorClient => ({
  name: 'acme',
  send: async () => {
    if (reply instanceof Error) throw reply;
    return { status: 200, headers: {}, body: {}, ...reply };
  },
  close: () => undefined,
});
const call = (client: VendorClient, symbol = 'AAPL') =>
  callVendor(adapter, client, 'stock-quote', { symbol }, AbortSignal.timeout(1_000));

describe('callVendor', () => {
  it('normalizes a valid answer', async () => {
    expect(await call(replying({ body: { price: 12.5 } }))).toMatchObject({
      outcome: 'ok',
      result: { symbol: 'AAPL', price: 12.5 },
    });
  });

  it('skips an unsupported query without a call', async () => {
    expect(await call(replying(new Error('must not be called')), 'NOPE')).toEqual({
      outcome: 'unsupported',
      detail: 'no such market',
    });
  });

  it('turns "200 but empty" into not-found', async () => {
    expect(await call(replying({ body: { price: 0 } }))).toEqual({
      outcome: 'not-found',
      detail: 'zero price',
      status: 200,
    });
  });

  it('reports a body that fails the schema as malformed, naming where', async () => {
    expect(await call(replying({ body: { price: 'n/a' } }))).toEqual({
      outcome: 'malformed',
      detail: 'response failed schema at price',
      status: 200,
    });
  });

  it('runs the classifier on 200s too', async () => {
    expect(await call(replying({ body: { error: 'quota' } }))).toEqual({
      outcome: 'rate-limited',
      detail: 'quota',
      status: 200,
      retryAfterMs: 10,
    });
  });

  it('treats an unclassified non-2xx as unavailable', async () => {
    expect(await call(replying({ status: 503, body: {} }))).toEqual({
      outcome: 'unavailable',
      detail: 'HTTP 503',
      status: 503,
    });
  });

  it('passes transport failures through as their kind', async () => {
    expect(await call(replying(new TransportError('timeout', 'ECONNABORTED', 'acme')))).toEqual({
      outcome: 'timeout',
      detail: 'ECONNABORTED',
    });
  });

  it('records a path the client refuses to send (a dot segment) as bad-request, with no call', async () => {
    const client = createVendorClient({
      name: 'acme',
      baseUrl: 'http://127.0.0.1:1/api',
      auth: null,
      apiKey: null,
      maxConnections: 1,
    });
    expect(await call(client, '.')).toEqual({ outcome: 'bad-request', detail: 'path would resolve elsewhere' });
    client.close();
  });

  it('reports an exception in the normalizer as malformed, naming the error and the step, never throwing', async () => {
    expect(await call(replying({ body: { price: -1 } }))).toEqual({
      outcome: 'malformed',
      detail: 'adapter threw RangeError while normalizing the reply',
    });
  });

  it('reports an exception in the request builder as malformed without calling the vendor', async () => {
    expect(await call(replying(new Error('must not be called')), 'BUG')).toEqual({
      outcome: 'malformed',
      detail: 'adapter threw TypeError while building the request',
    });
  });

  it('reports an exception in the failure classifier as malformed', async () => {
    expect(await call(replying({ body: null }))).toEqual({
      outcome: 'malformed',
      detail: 'adapter threw TypeError while classifying the reply',
    });
  });
});
