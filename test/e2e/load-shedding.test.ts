import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../../src/config/schema.js';
import { buildTestGateway, type TestGateway } from '../helpers/build-app.js';

const shedding = (underPressure: GatewayConfig['server']['underPressure']) =>
  buildTestGateway({ adjust: (config) => (config.server.underPressure = underPressure) });

/** Waits for under-pressure's next sample to see the condition (it samples every sampleIntervalMs). */
async function untilShedding(gateway: TestGateway): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const response = await gateway.app.inject({ method: 'GET', url: '/v1/forex/EUR/USD' });
    if (response.statusCode === 503) return;
    await sleep(10);
  }
  throw new Error('the gateway never started shedding load');
}

describe('load shedding (@fastify/under-pressure)', () => {
  it('answers 503 problem+json GW_OVERLOADED with Retry-After while the heap is past its limit', async () => {
    // A 1-byte heap limit: every sample is over it, so no load is needed to trip it.
    const gateway = await shedding({
      maxEventLoopDelayMs: 0,
      maxHeapUsedBytes: 1,
      retryAfterSeconds: 7,
      sampleIntervalMs: 10,
    });
    await untilShedding(gateway);
    const shed = await gateway.app.inject({ method: 'GET', url: '/v1/stocks/AAPL/quote' });
    expect(shed.statusCode).toBe(503);
    expect(shed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(shed.headers['retry-after']).toBe('7');
    expect(shed.headers['x-content-type-options']).toBe('nosniff');
    expect(shed.json()).toEqual({
      type: 'urn:market-data-gateway:problem:overloaded',
      title: 'Gateway overloaded',
      status: 503,
      detail: 'the gateway is overloaded; retry in 7 s',
      instance: '/v1/stocks/AAPL/quote',
      requestId: shed.headers['x-request-id'],
    });

    // Liveness and metrics stay up; readiness says why the instance should get no traffic.
    expect((await gateway.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect((await gateway.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    const ready = await gateway.app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'not-ready' });
    expect(ready.json().reasons).toEqual([
      expect.stringMatching(/^overloaded, shedding requests: heap in use \d+ MiB/),
    ]);
  });

  it('sheds load after the event loop was blocked, and recovers', async () => {
    const gateway = await shedding({
      maxEventLoopDelayMs: 20,
      maxHeapUsedBytes: 0,
      retryAfterSeconds: 1,
      sampleIntervalMs: 100,
    });
    expect((await gateway.app.inject({ method: 'GET', url: '/v1/forex/EUR/USD' })).statusCode).toBe(200);
    // One 300 ms stall: it is most of the next sample's mean delay (at least (300 + 9 × 10) / 10 − 10 = 29 ms).
    const until = performance.now() + 300;
    while (performance.now() < until);
    await untilShedding(gateway);
    const ready = await gateway.app.inject({ method: 'GET', url: '/ready' });
    expect(ready.json().reasons).toEqual([
      expect.stringMatching(/^overloaded, shedding requests: event-loop delay (\d+ ms|unmeasured) over 20 ms$/),
    ]);
    // Samples after the stall see an idle loop again.
    await expect
      .poll(async () => (await gateway.app.inject({ method: 'GET', url: '/v1/forex/EUR/USD' })).statusCode, {
        timeout: 5_000,
        interval: 50,
      })
      .toBe(200);
  });

  it('never sheds with the defaults on an ordinary test run', async () => {
    const gateway = await buildTestGateway();
    expect(gateway.config.server.underPressure).toEqual({
      maxEventLoopDelayMs: 1_000,
      retryAfterSeconds: 10,
      sampleIntervalMs: 1_000,
    });
    expect(gateway.app.isUnderPressure()).toBe(false);
    const ready = await gateway.app.inject({ method: 'GET', url: '/ready' });
    expect(ready.json().reasons).toEqual([]);
  });
});
