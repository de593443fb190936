import { beforeEach, describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../../../src/core/errors.js';
import { breakerState } from '../../../src/resilience/breaker.js';
import {
  advanceTo,
  buildEngine,
  elapsedMs,
  isoAt,
  reply,
  settle,
  settleError,
  type Engine,
  type FakeVendorSpec,
  useFakeClock,
} from '../../helpers/fake-vendors.js';

beforeEach(() => {
  useFakeClock();
});

async function gatewayError(work: Promise<unknown>): Promise<GatewayError> {
  const error = await settleError(work);
  if (!(error instanceof GatewayError)) throw new Error(`expected a GatewayError, got ${String(error)}`);
  return error;
}

describe('failover under the priority strategy', () => {
  const vendors: FakeVendorSpec[] = [
    { name: 'alpha', tier: 1, script: [reply.serverError(20)] },
    { name: 'bravo', tier: 2, script: [reply.ok(30)] },
  ];

  it('answers from the second vendor when the first answers 500, listing both attempts in start order', async () => {
    const engine = buildEngine(vendors);
    const result = await settle(engine.quote());
    expect(result.provider).toBe('bravo');
    expect(result.attempts).toEqual([
      { provider: 'alpha', outcome: 'unavailable', ms: 20, detail: 'HTTP 500' },
      { provider: 'bravo', outcome: 'ok', ms: 30 },
    ]);
    expect(result.latencyMs).toBe(50);
  });

  it('emits a failover event naming both vendors and the outcome it failed over from', async () => {
    const engine = buildEngine(vendors);
    await settle(engine.quote());
    expect(engine.log.of('failover')).toEqual([
      { capability: 'stock-quote', from: 'alpha', to: 'bravo', reason: 'unavailable', requestId: 'req-1' },
    ]);
  });
});

describe('the not-found quorum', () => {
  it('answers GW_NOT_FOUND once two vendors say not-found, without asking a third', async () => {
    const engine = buildEngine([
      { name: 'alpha', tier: 1, script: [reply.notFound(10)] },
      { name: 'bravo', tier: 2, script: [reply.notFound(15)] },
      { name: 'charlie', tier: 3, script: [reply.ok(10)] },
    ]);
    const error = await gatewayError(engine.quote('NOPE'));
    expect([error.code, error.status, error.detail]).toEqual(['GW_NOT_FOUND', 404, 'no vendor knows the symbol']);
    expect(error.attempts).toEqual([
      { provider: 'alpha', outcome: 'not-found', ms: 10, detail: 'unknown symbol' },
      { provider: 'bravo', outcome: 'not-found', ms: 15, detail: 'unknown symbol' },
    ]);
    expect(engine.client('charlie').calls).toEqual([]);
  });

  it('answers from the next vendor when only one says not-found', async () => {
    const engine = buildEngine([
      { name: 'alpha', tier: 1, script: [reply.notFound(10)] },
      { name: 'bravo', tier: 2, script: [reply.ok(15)] },
    ]);
    const result = await settle(engine.quote());
    expect(result.provider).toBe('bravo');
    expect(result.attempts).toEqual([
      { provider: 'alpha', outcome: 'not-found', ms: 10, detail: 'unknown symbol' },
      { provider: 'bravo', outcome: 'ok', ms: 15 },
    ]);
  });

  it('emits no failover event when the vendor passed over only said not-found', async () => {
    const engine = buildEngine([
      { name: 'alpha', tier: 1, script: [reply.notFound(10)] },
      { name: 'bravo', tier: 2, script: [reply.ok(15)] },
    ]);
    await settle(engine.quote());
    expect(engine.log.of('failover')).toEqual([]);
  });
});

describe('hedging', () => {
  const hangingPrimary: FakeVendorSpec[] = [
    { name: 'alpha', tier: 1, script: [reply.hang()] },
    { name: 'bravo', tier: 2, script: [reply.ok(30)] },
  ];

  it('starts the next vendor hedgeAfterMs after a hanging one and answers from it', async () => {
    const engine = buildEngine(hangingPrimary, { routing: { hedging: { afterMs: 100 } } });
    const result = await settle(engine.quote());
    expect(engine.client('bravo').calls.map((call) => call.startedAt)).toEqual([100]);
    expect([result.provider, result.latencyMs, elapsedMs()]).toEqual(['bravo', 130, 130]);
  });

  it('cancels the hanging loser as slow, so its attempt is recorded as a timeout', async () => {
    const engine = buildEngine(hangingPrimary, { routing: { hedging: { afterMs: 100 } } });
    const result = await settle(engine.quote());
    expect(result.attempts).toEqual([
      { provider: 'alpha', outcome: 'timeout', ms: 130, detail: 'lost the hedge: slower than its hedge delay' },
      { provider: 'bravo', outcome: 'ok', ms: 30 },
    ]);
    expect(engine.client('alpha').calls).toEqual([
      { path: '/quote/AAPL', startedAt: 0, endedAt: 130, ending: 'aborted' },
    ]);
  });

  it('hedges after maxAfterMs while the vendor has no observed latency', async () => {
    const engine = buildEngine(hangingPrimary, { routing: { hedging: { minAfterMs: 150, maxAfterMs: 700 } } });
    await settle(engine.quote());
    expect(engine.client('bravo').calls.map((call) => call.startedAt)).toEqual([700]);
  });

  it('waits for the vendor timeout before failing over when hedging is disabled', async () => {
    const engine = buildEngine(
      [
        { name: 'alpha', tier: 1, timeoutMs: 400, script: [reply.hang()] },
        { name: 'bravo', tier: 2, script: [reply.ok(30)] },
      ],
      { routing: { hedging: { enabled: false } } },
    );
    const result = await settle(engine.quote());
    expect(engine.client('bravo').calls.map((call) => call.startedAt)).toEqual([400]);
    expect(result.attempts).toEqual([
      { provider: 'alpha', outcome: 'timeout', ms: 400, detail: 'no answer in time' },
      { provider: 'bravo', outcome: 'ok', ms: 30 },
    ]);
    expect(result.latencyMs).toBe(430);
  });
});

describe('the request deadline', () => {
  it('answers GW_DEADLINE (504) with every attempt once routing.deadlineMs has passed', async () => {
    const engine = buildEngine(
      [
        { name: 'alpha', tier: 1, script: [reply.hang()] },
        { name: 'bravo', tier: 2, script: [reply.hang()] },
        { name: 'charlie', tier: 3, script: [reply.hang()] },
      ],
      { routing: { deadlineMs: 300, hedging: { afterMs: 100 } } },
    );
    const error = await gatewayError(engine.quote());
    expect([error.code, error.status, error.detail]).toEqual(['GW_DEADLINE', 504, 'no vendor answered within 300 ms']);
    expect(error.attempts).toEqual([
      { provider: 'alpha', outcome: 'timeout', ms: 300, detail: 'no answer in time' },
      { provider: 'bravo', outcome: 'timeout', ms: 200, detail: 'no answer in time' },
      { provider: 'charlie', outcome: 'timeout', ms: 100, detail: 'no answer in time' },
    ]);
    expect(elapsedMs()).toBe(300);
  });

  it('starts no vendor once the deadline has passed', async () => {
    const engine = buildEngine(
      [
        { name: 'alpha', tier: 1, timeoutMs: 2_000, script: [reply.hang()] },
        { name: 'bravo', tier: 2, script: [reply.ok(10)] },
      ],
      { routing: { deadlineMs: 300, hedging: { enabled: false } } },
    );
    const error = await gatewayError(engine.quote());
    expect(error.attempts).toEqual([{ provider: 'alpha', outcome: 'timeout', ms: 300, detail: 'no answer in time' }]);
    expect(engine.client('bravo').calls).toEqual([]);
  });
});

describe('the circuit breaker', () => {
  const breaker = { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 1_000 };
  const failingPrimary = (): Engine =>
    buildEngine([
      { name: 'alpha', tier: 1, breaker, script: [reply.serverError(10)] },
      { name: 'bravo', tier: 2, script: [reply.ok(10)] },
    ]);
  /** Three failed requests open alpha's breaker; returns when (ms on the fake clock) it opened. */
  async function openAlpha(engine: Engine): Promise<number> {
    let openedAt = -1;
    const off = engine.events.on('breakerOpened', () => (openedAt = elapsedMs()));
    for (let request = 0; request < 3; request += 1) await settle(engine.quote());
    off();
    return openedAt;
  }

  it('opens after volumeThreshold failures', async () => {
    const engine = failingPrimary();
    await settle(engine.quote());
    await settle(engine.quote());
    expect(breakerState(engine.vendor('alpha').breaker)).toBe('closed');
    await settle(engine.quote());
    expect(breakerState(engine.vendor('alpha').breaker)).toBe('open');
    expect(engine.log.of('breakerOpened')).toEqual([{ provider: 'alpha' }]);
  });

  it('skips the vendor of an open breaker at ms 0, without calling it', async () => {
    const engine = failingPrimary();
    await openAlpha(engine);
    const result = await settle(engine.quote());
    expect(result.attempts).toEqual([
      { provider: 'alpha', outcome: 'breaker-open', ms: 0 },
      { provider: 'bravo', outcome: 'ok', ms: 10 },
    ]);
    expect(engine.client('alpha').calls).toHaveLength(3);
  });

  it('turns half-open resetTimeoutMs after opening', async () => {
    const engine = failingPrimary();
    const openedAt = await openAlpha(engine);
    expect(openedAt).toBe(50);
    await advanceTo(openedAt + 999);
    expect(breakerState(engine.vendor('alpha').breaker)).toBe('open');
    await advanceTo(openedAt + 1_000);
    expect(breakerState(engine.vendor('alpha').breaker)).toBe('half-open');
    expect(engine.log.of('breakerHalfOpen')).toEqual([{ provider: 'alpha' }]);
  });

  it('closes when the half-open probe succeeds, and the vendor answers again', async () => {
    const engine = failingPrimary();
    await openAlpha(engine);
    await vi.advanceTimersByTimeAsync(1_000);
    engine.client('alpha').script(reply.ok(10));
    const probe = await settle(engine.quote());
    expect(probe.attempts).toEqual([{ provider: 'alpha', outcome: 'ok', ms: 10 }]);
    expect(breakerState(engine.vendor('alpha').breaker)).toBe('closed');
    expect(engine.log.names().filter((name) => name.startsWith('breaker'))).toEqual([
      'breakerOpened',
      'breakerHalfOpen',
      'breakerClosed',
    ]);
  });

  it('does not cancel a half-open probe when a hedge answers first: the probe runs on and closes the breaker', async () => {
    const engine = buildEngine(
      [
        { name: 'alpha', tier: 1, breaker, script: [reply.serverError(10)] },
        { name: 'bravo', tier: 2, script: [reply.ok(30)] },
      ],
      { routing: { hedging: { afterMs: 100 } } },
    );
    await openAlpha(engine);
    await vi.advanceTimersByTimeAsync(1_000);
    const probeStart = elapsedMs();
    engine.client('alpha').script(reply.ok(300));
    const result = await settle(engine.quote());
    expect([result.provider, elapsedMs() - probeStart]).toEqual(['bravo', 130]);
    expect(engine.client('alpha').open).toBe(1);
    await vi.advanceTimersByTimeAsync(170);
    expect(engine.client('alpha').calls.at(-1)).toMatchObject({ ending: 'ok', endedAt: probeStart + 300 });
    expect(breakerState(engine.vendor('alpha').breaker)).toBe('closed');
  });

  it('does not start a half-open vendor beside a slow attempt', async () => {
    const engine = buildEngine(
      [
        { name: 'alpha', tier: 1, script: [reply.ok(300)] },
        {
          name: 'bravo',
          tier: 2,
          breaker: { volumeThreshold: 1, resetTimeoutMs: 1_000 },
          script: [reply.serverError(10)],
        },
      ],
      { routing: { hedging: { afterMs: 100 } } },
    );
    await settle(engine.quote('AAPL', { provider: 'bravo' }).catch(() => undefined));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(breakerState(engine.vendor('bravo').breaker)).toBe('half-open');
    const result = await settle(engine.quote());
    expect(result.attempts).toEqual([{ provider: 'alpha', outcome: 'ok', ms: 300 }]);
    expect(engine.client('bravo').calls).toHaveLength(1);
  });
});

describe('quota windows', () => {
  const vendors: FakeVendorSpec[] = [
    { name: 'alpha', tier: 1, rateLimit: { perMinute: 1 }, script: [reply.ok(10)] },
    { name: 'bravo', tier: 2, script: [reply.ok(10)] },
  ];

  it('skips a vendor whose minute quota is spent, recording quota-skip "minute quota spent"', async () => {
    const engine = buildEngine(vendors);
    expect((await settle(engine.quote())).provider).toBe('alpha');
    const second = await settle(engine.quote());
    expect(second.attempts).toEqual([
      { provider: 'alpha', outcome: 'quota-skip', ms: 0, detail: 'minute quota spent' },
      { provider: 'bravo', outcome: 'ok', ms: 10 },
    ]);
    expect(engine.client('alpha').calls).toHaveLength(1);
  });

  it('emits quotaExhausted once per spent window, however many requests it turns away', async () => {
    const engine = buildEngine(vendors);
    for (let request = 0; request < 4; request += 1) await settle(engine.quote());
    expect(engine.log.of('quotaExhausted')).toEqual([{ provider: 'alpha', window: 'minute' }]);
  });
});

describe('a 429 and the cooldown', () => {
  it('skips a vendor cooling down after its 429 on the next request, as cooling-down until its Retry-After', async () => {
    const engine = buildEngine([
      { name: 'alpha', tier: 1, script: [reply.rateLimited(2, 10)] },
      { name: 'bravo', tier: 2, script: [reply.ok(10)] },
    ]);
    const first = await settle(engine.quote());
    expect(first.attempts[0]).toEqual({ provider: 'alpha', outcome: 'rate-limited', ms: 10, detail: 'rate limited' });
    const second = await settle(engine.quote());
    expect(second.attempts).toEqual([
      { provider: 'alpha', outcome: 'cooling-down', ms: 0, detail: `until ${isoAt(2_010)}` },
      { provider: 'bravo', outcome: 'ok', ms: 10 },
    ]);
    expect(engine.client('alpha').calls).toHaveLength(1);
  });

  it('answers 503 with a Retry-After that lasts until a spent quota window has room, not a guess', async () => {
    const engine = buildEngine([{ name: 'alpha', tier: 1, rateLimit: { perDay: 1 }, script: [reply.ok(10)] }]);
    await settle(engine.quote());
    const error = await gatewayError(engine.quote());
    expect(error.attempts).toEqual([{ provider: 'alpha', outcome: 'quota-skip', ms: 0, detail: 'day quota spent' }]);
    // The day counts in UTC by default: from 14:30:00.010 the window has room again at midnight, 9 h 30 min on.
    expect([error.code, error.status, error.retryAfterSeconds]).toEqual(['GW_NO_PROVIDER', 503, 34_200]);
  });

  it('answers 503 GW_NO_PROVIDER with the soonest Retry-After when every vendor is cooling down', async () => {
    const engine = buildEngine([
      { name: 'alpha', tier: 1, script: [reply.rateLimited(3, 10)] },
      { name: 'bravo', tier: 2, script: [reply.rateLimited(5, 10)] },
    ]);
    expect((await gatewayError(engine.quote())).code).toBe('GW_ALL_FAILED');
    const error = await gatewayError(engine.quote());
    expect([error.code, error.status, error.retryAfterSeconds]).toEqual(['GW_NO_PROVIDER', 503, 3]);
    expect(error.attempts).toEqual([
      { provider: 'alpha', outcome: 'cooling-down', ms: 0, detail: `until ${isoAt(3_010)}` },
      { provider: 'bravo', outcome: 'cooling-down', ms: 0, detail: `until ${isoAt(5_020)}` },
    ]);
    expect(engine.log.of('noHealthyProviders')).toEqual([{ capability: 'stock-quote', requestId: 'req-2' }]);
  });

  it('takes the vendor back once its Retry-After has passed', async () => {
    const engine = buildEngine([
      { name: 'alpha', tier: 1, script: [reply.rateLimited(2, 10), reply.ok(10)] },
      { name: 'bravo', tier: 2, script: [reply.ok(10)] },
    ]);
    await settle(engine.quote());
    await vi.advanceTimersByTimeAsync(2_000);
    expect((await settle(engine.quote())).attempts).toEqual([{ provider: 'alpha', outcome: 'ok', ms: 10 }]);
  });
});

describe('a pinned provider', () => {
  const vendors: FakeVendorSpec[] = [
    { name: 'alpha', tier: 1, script: [reply.ok(10)] },
    { name: 'bravo', tier: 2, script: [reply.serverError(10)] },
  ];

  it('calls only the pinned vendor, whatever its tier', async () => {
    const engine = buildEngine([vendors[0]!, { name: 'bravo', tier: 2, script: [reply.ok(10)] }]);
    const result = await settle(engine.quote('AAPL', { provider: 'bravo' }));
    expect(result.attempts).toEqual([{ provider: 'bravo', outcome: 'ok', ms: 10 }]);
    expect(engine.client('alpha').calls).toEqual([]);
  });

  it('does not fail over from a pinned vendor that fails', async () => {
    const engine = buildEngine(vendors);
    const error = await gatewayError(engine.quote('AAPL', { provider: 'bravo' }));
    expect([error.code, error.status]).toEqual(['GW_ALL_FAILED', 502]);
    expect(error.attempts).toEqual([{ provider: 'bravo', outcome: 'unavailable', ms: 10, detail: 'HTTP 500' }]);
    expect(engine.client('alpha').calls).toEqual([]);
  });

  it('does not hedge away from a pinned vendor that hangs', async () => {
    const engine = buildEngine(
      [
        { name: 'alpha', tier: 1, script: [reply.ok(10)] },
        { name: 'bravo', tier: 2, script: [reply.hang()] },
      ],
      { routing: { deadlineMs: 600, hedging: { afterMs: 100 } } },
    );
    const error = await gatewayError(engine.quote('AAPL', { provider: 'bravo' }));
    expect(error.code).toBe('GW_DEADLINE');
    expect(error.attempts).toEqual([{ provider: 'bravo', outcome: 'timeout', ms: 600, detail: 'no answer in time' }]);
    expect(engine.client('alpha').calls).toEqual([]);
  });

  it('rejects an unknown vendor name with GW_BAD_INPUT', async () => {
    const engine = buildEngine(vendors);
    const error = await gatewayError(engine.quote('AAPL', { provider: 'zulu' }));
    expect([error.code, error.status, error.detail]).toEqual([
      'GW_BAD_INPUT',
      400,
      'provider: unknown vendor "zulu" (known: alpha, bravo)',
    ]);
  });
});

describe('a normalizer that throws', () => {
  const vendors: FakeVendorSpec[] = [
    { name: 'alpha', tier: 1, script: [reply.normalizerThrows(10)] },
    { name: 'bravo', tier: 2, script: [reply.ok(20)] },
  ];

  it('is recorded as malformed, and the next vendor answers', async () => {
    const engine = buildEngine(vendors);
    const result = await settle(engine.quote());
    expect(result.attempts).toEqual([
      {
        provider: 'alpha',
        outcome: 'malformed',
        ms: 10,
        detail: 'adapter threw RangeError while normalizing the reply',
      },
      { provider: 'bravo', outcome: 'ok', ms: 20 },
    ]);
  });

  it('gives back the in-flight count the call took', async () => {
    const engine = buildEngine(vendors);
    await settle(engine.quote());
    expect(engine.vendor('alpha').stats.snapshot().inFlight).toBe(0);
    expect(engine.vendor('alpha').limiter.counts()).toEqual({ running: 0, queued: 0 });
  });

  it('counts against the vendor’s breaker', async () => {
    const engine = buildEngine(vendors);
    await settle(engine.quote());
    const { fires, failures, successes } = engine.vendor('alpha').breaker.stats;
    expect({ fires, failures, successes }).toEqual({ fires: 1, failures: 1, successes: 0 });
  });
});

describe('the health-based strategy with a seeded random', () => {
  const vendors: FakeVendorSpec[] = [
    { name: 'alpha', tier: 1, script: [reply.ok(40)] },
    { name: 'bravo', tier: 1, script: [reply.ok(120)] },
    { name: 'charlie', tier: 2, script: [reply.ok(20)] },
    { name: 'delta', tier: 3, script: [reply.ok(60)] },
  ];
  async function chosen(seed: number, requests = 20): Promise<string[]> {
    const engine = buildEngine(vendors, { seed, routing: { strategy: 'health-based' } });
    const providers: string[] = [];
    for (let request = 0; request < requests; request += 1) providers.push((await settle(engine.quote())).provider);
    return providers;
  }

  it('chooses this exact sequence of vendors over 20 requests for seed 42', async () => {
    expect(await chosen(42)).toEqual([
      'bravo',
      'bravo',
      'alpha',
      'bravo',
      'alpha',
      'bravo',
      'alpha',
      'bravo',
      'bravo',
      'alpha',
      'alpha',
      'bravo',
      'bravo',
      'alpha',
      'alpha',
      'alpha',
      'bravo',
      'bravo',
      'alpha',
      'alpha',
    ]);
  });

  it('chooses the same sequence again for the same seed', async () => {
    expect(await chosen(42)).toEqual(await chosen(42));
  });

  it('chooses another sequence for seed 7', async () => {
    expect(await chosen(7)).toEqual([
      'alpha',
      'alpha',
      'bravo',
      'bravo',
      'bravo',
      'alpha',
      'alpha',
      'alpha',
      'bravo',
      'bravo',
      'alpha',
      'alpha',
      'bravo',
      'bravo',
      'alpha',
      'alpha',
      'alpha',
      'bravo',
      'alpha',
      'bravo',
    ]);
  });
});
