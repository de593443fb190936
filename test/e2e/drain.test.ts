import { describe, expect, it } from 'vitest';
import { buildTestGateway } from '../helpers/build-app.js';

describe('draining (the first step of a graceful shutdown)', () => {
  it('turns /ready 503 at once and closes each connection after its answer, while still serving', async () => {
    const gateway = await buildTestGateway();
    const before = await gateway.app.inject({ url: '/ready' });
    expect(before.statusCode).toBe(200);
    expect(before.headers.connection).not.toBe('close');

    gateway.app.drain.begin();
    const ready = await gateway.app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({
      status: 'not-ready',
      reasons: [expect.stringMatching(/^shutting down/)],
    });
    const quote = await gateway.app.inject({ url: '/v1/stocks/AAPL/quote' });
    expect(quote.statusCode).toBe(200);
    expect(quote.headers.connection).toBe('close');
    expect((await gateway.app.inject({ url: '/health' })).statusCode).toBe(200);
  });
});
