import { describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../../src/config/schema.js';
import { buildTestGateway, type TestGateway } from '../helpers/build-app.js';

/*
 * Cross-request batching (src/data/quote-batcher.ts) against the simulators: single stock quotes that different
 * requests miss together go to polygon as one multi-ticker snapshot. The window is wide here so that requests injected
 * together surely meet in it on a loaded machine; it is a bound, not a wait: a full batch goes at once.
 */

/** polygon (batch and single) first, finnhub (single only) second; no other stock vendor. */
const gatewayWithBatching = (adjust?: (config: GatewayConfig) => void) =>
  buildTestGateway({
    adjust: (config) => {
      config.cache.enabled = true;
      config.cache.batchWindowMs = 200;
      config.cache.refreshAheadMs = 0;
      config.providers.twelvedata!.enabled = false;
      config.providers.marketstack!.enabled = false;
      adjust?.(config);
    },
  });

const vendorCalls = (gateway: TestGateway, vendor: string) =>
  gateway.sandbox.simulators.find((simulator) => simulator.vendor === vendor)?.requestCount ?? 0;

const quotes = (gateway: TestGateway, symbols: readonly string[]) =>
  Promise.all(symbols.map((symbol) => gateway.app.inject({ method: 'GET', url: `/v1/stocks/${symbol}/quote` })));

/** Each answer is its own symbol's quote, fetched from polygon in one attempt. */
function expectPolygonMisses(answers: Awaited<ReturnType<typeof quotes>>, symbols: readonly string[]): void {
  answers.forEach((answer, index) => {
    expect(answer.statusCode).toBe(200);
    const { data, meta } = answer.json();
    expect(data.symbol).toBe(symbols[index]);
    expect(meta).toMatchObject({ provider: 'polygon', cache: 'miss' });
    expect(meta.attempts).toEqual([{ provider: 'polygon', outcome: 'ok', ms: expect.any(Number) }]);
  });
}

async function setFault(gateway: TestGateway, vendor: string, mode: string) {
  const response = await gateway.app.inject({
    method: 'POST',
    url: `/sandbox/vendors/${vendor}/fault`,
    payload: { mode, delayMs: 0 },
  });
  expect(response.statusCode).toBe(200);
}

describe('single stock quotes batched across requests', () => {
  it('sends N concurrent misses as one vendor call, and gives each request its own quote and attempts', async () => {
    const gateway = await gatewayWithBatching();
    const symbols = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'BRK.B'];
    const before = vendorCalls(gateway, 'polygon');
    const answers = await quotes(gateway, symbols);
    expect(vendorCalls(gateway, 'polygon') - before).toBe(1);
    expect(vendorCalls(gateway, 'finnhub')).toBe(0);
    expectPolygonMisses(answers, symbols);
    // Each symbol is now cached on its own.
    const again = await quotes(gateway, symbols);
    expect(again.map((answer) => answer.headers['x-cache'])).toEqual(symbols.map(() => 'hit'));
    expect(vendorCalls(gateway, 'polygon') - before).toBe(1);
  });

  it('gives a symbol the batch left out its own 404 once a second vendor agrees; the others their quotes', async () => {
    const gateway = await gatewayWithBatching();
    const [known, unknown] = await quotes(gateway, ['AAPL', 'ZZZTYPO']);
    expect(known!.statusCode).toBe(200);
    expect(known!.json().meta.attempts).toEqual([{ provider: 'polygon', outcome: 'ok', ms: expect.any(Number) }]);
    expect(unknown!.statusCode).toBe(404);
    expect(unknown!.json().attempts).toEqual([
      { provider: 'polygon', outcome: 'not-found', ms: expect.any(Number), detail: 'left out of the batch answer' },
      { provider: 'finnhub', outcome: 'not-found', ms: expect.any(Number), detail: expect.any(String) },
    ]);
    // One batch call at polygon, one single quote at finnhub: polygon is not asked twice.
    expect(vendorCalls(gateway, 'polygon')).toBe(1);
    expect(vendorCalls(gateway, 'finnhub')).toBe(1);
  });

  it('fails a failed batch over per symbol: each request gets its quote from the next vendor, with its own attempts', async () => {
    const gateway = await gatewayWithBatching();
    await setFault(gateway, 'polygon', 'error');
    const symbols = ['AAPL', 'MSFT', 'NVDA'];
    const answers = await quotes(gateway, symbols);
    answers.forEach((answer, index) => {
      expect(answer.statusCode).toBe(200);
      const { data, meta } = answer.json();
      expect(data.symbol).toBe(symbols[index]);
      expect(meta.provider).toBe('finnhub');
      // The batch call (shared), this symbol's single quote at polygon, then finnhub: nothing of the other symbols.
      expect(meta.attempts.map((attempt: { provider: string; outcome: string }) => attempt.provider)).toEqual([
        'polygon',
        'polygon',
        'finnhub',
      ]);
      expect(meta.attempts.at(-1).outcome).toBe('ok');
    });
    expect(vendorCalls(gateway, 'finnhub')).toBe(3);
  });

  it('sends a batch as soon as it holds batchMaxSymbols symbols', async () => {
    const gateway = await gatewayWithBatching((config) => {
      config.cache.batchWindowMs = 60_000;
      config.cache.batchMaxSymbols = 2;
    });
    const answers = await quotes(gateway, ['AAPL', 'MSFT', 'NVDA', 'AMZN']);
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200, 200]);
    expect(vendorCalls(gateway, 'polygon')).toBe(2);
  });

  it('asks for every quote alone with batchWindowMs 0', async () => {
    const gateway = await gatewayWithBatching((config) => (config.cache.batchWindowMs = 0));
    await quotes(gateway, ['AAPL', 'MSFT', 'NVDA']);
    expect(vendorCalls(gateway, 'polygon')).toBe(3);
  });

  it('asks for the whole market once wholeMarketMinSymbols distinct symbols were asked: later first asks cost no call', async () => {
    const gateway = await gatewayWithBatching((config) => {
      config.cache.wholeMarketMinSymbols = 3;
      // Long enough that the sweep stays fresh through the test on a loaded machine.
      config.cache.ttlMs['stock-quote'] = 60_000;
    });
    // Two distinct symbols: ordinary batches, one call each.
    for (const symbol of ['AAPL', 'MSFT']) await quotes(gateway, [symbol]);
    expect(vendorCalls(gateway, 'polygon')).toBe(2);
    // The third distinct symbol makes its batch a whole-market call: still one call.
    const [third] = await quotes(gateway, ['NVDA']);
    expect(third!.statusCode).toBe(200);
    expect(vendorCalls(gateway, 'polygon')).toBe(3);

    // First asks of symbols that answer listed: no call, each with the call that fetched it, counted as a miss.
    const listed = ['BAAA', 'BAAB', 'TSLA'];
    const answers = await quotes(gateway, listed);
    expect(vendorCalls(gateway, 'polygon')).toBe(3);
    expectPolygonMisses(answers, listed);
    // Then cached like any answer.
    const again = await quotes(gateway, listed);
    expect(again.map((answer) => answer.headers['x-cache'])).toEqual(['hit', 'hit', 'hit']);

    // A symbol the fresh whole-market answer lacks is asked for by name, not by sweeping again.
    const [unlisted] = await quotes(gateway, ['QQQX']);
    expect(unlisted!.statusCode).toBe(200);
    expect(vendorCalls(gateway, 'polygon')).toBe(4);
    expect(vendorCalls(gateway, 'finnhub')).toBe(0);
  });

  it('never sweeps for a request pinned to a vendor', async () => {
    const gateway = await gatewayWithBatching((config) => {
      config.cache.wholeMarketMinSymbols = 1;
      config.cache.ttlMs['stock-quote'] = 60_000;
    });
    for (const symbol of ['AAPL', 'MSFT']) {
      const answer = await gateway.app.inject({ method: 'GET', url: `/v1/stocks/${symbol}/quote?provider=polygon` });
      expect(answer.statusCode).toBe(200);
    }
    // Pinned asks are neither counted nor swept: two named calls, and the first unpinned ask pays for the sweep…
    const [listed] = await quotes(gateway, ['BAAA']);
    expect(listed!.statusCode).toBe(200);
    expect(vendorCalls(gateway, 'polygon')).toBe(3);
    // …after which the next listed symbol is free.
    await quotes(gateway, ['BAAB']);
    expect(vendorCalls(gateway, 'polygon')).toBe(3);
  });
});
