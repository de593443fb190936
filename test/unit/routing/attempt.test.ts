import { beforeEach, describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../../../src/core/outcomes.js';
import { HedgeCancel } from '../../../src/resilience/hedging.js';
import { attempt } from '../../../src/routing/attempt.js';
import {
  advanceTo,
  buildEngine,
  isoAt,
  reply,
  settle,
  useFakeClock,
  type Engine,
  type FakeVendorSpec,
  type RoutingInput,
  type Step,
} from '../../helpers/fake-vendors.js';

beforeEach(() => {
  useFakeClock();
});

function alpha(script: Step[], spec: Partial<FakeVendorSpec> = {}, routing: RoutingInput = {}): Engine {
  return buildEngine([{ name: 'alpha', timeoutMs: 400, script, ...spec }], { routing });
}

/** Runs one attempt at alpha on the fake clock until it ends. */
function attemptAt(engine: Engine, cancel?: AbortController) {
  return settle(attempt(engine.attemptInput('alpha', cancel ? { cancel } : {})));
}

/** A cancel the failover race would abort, fired `afterMs` into the attempt on the fake clock. */
function hedgeCancelAfter(afterMs: number, slow: boolean): AbortController {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new HedgeCancel(slow)), afterMs);
  return controller;
}

describe('every ending of an attempt is a record', () => {
  const endings: { name: string; script: Step[]; record: AttemptRecord }[] = [
    { name: 'an answer', script: [reply.ok(25)], record: { provider: 'alpha', outcome: 'ok', ms: 25 } },
    {
      name: 'a 404',
      script: [reply.notFound(15)],
      record: { provider: 'alpha', outcome: 'not-found', ms: 15, detail: 'unknown symbol' },
    },
    {
      name: 'an HTTP 500',
      script: [reply.serverError(20)],
      record: { provider: 'alpha', outcome: 'unavailable', ms: 20, detail: 'HTTP 500' },
    },
    {
      name: 'a body that fails the schema',
      script: [reply.malformed(10)],
      record: { provider: 'alpha', outcome: 'malformed', ms: 10, detail: 'response failed schema at price' },
    },
    {
      name: 'a normalizer that throws a RangeError',
      script: [reply.normalizerThrows(10)],
      record: {
        provider: 'alpha',
        outcome: 'malformed',
        ms: 10,
        detail: 'adapter threw RangeError while normalizing the reply',
      },
    },
    {
      name: 'a vendor that hangs past its timeoutMs',
      script: [reply.hang()],
      record: { provider: 'alpha', outcome: 'timeout', ms: 400, detail: 'no answer in time' },
    },
    {
      name: 'a 429',
      script: [reply.rateLimited(2, 10)],
      record: { provider: 'alpha', outcome: 'rate-limited', ms: 10, detail: 'rate limited' },
    },
    {
      name: 'a connection reset twice (the retry included)',
      script: [reply.reset(5)],
      record: { provider: 'alpha', outcome: 'network', ms: 11, detail: 'ECONNRESET' },
    },
  ];

  it.each(endings)('records $name as $record.outcome', async ({ script, record }) => {
    const engine = alpha(script);
    expect((await attemptAt(engine)).record).toEqual(record);
  });

  it('returns the normalized quote with an ok record', async () => {
    const engine = alpha([reply.ok(25, 187.5)]);
    expect((await attemptAt(engine)).result).toEqual({
      symbol: 'AAPL',
      price: 187.5,
      change: null,
      changePercent: null,
      open: null,
      high: null,
      low: null,
      previousClose: null,
      volume: null,
      currency: 'USD',
      asOf: '2026-01-05T14:30:00.000Z',
    });
  });

  it('returns no result with a failed record', async () => {
    const engine = alpha([reply.serverError(20)]);
    expect(await attemptAt(engine)).toEqual({
      record: { provider: 'alpha', outcome: 'unavailable', ms: 20, detail: 'HTTP 500' },
    });
  });

  it('records a call a quick hedge cancels as aborted', async () => {
    const engine = alpha([reply.hang()]);
    const { record } = await attemptAt(engine, hedgeCancelAfter(50, false));
    expect(record).toEqual({ provider: 'alpha', outcome: 'aborted', ms: 50, detail: 'lost the hedge' });
  });

  it('records a call a slow hedge cancels as a timeout', async () => {
    const engine = alpha([reply.hang()]);
    const { record } = await attemptAt(engine, hedgeCancelAfter(50, true));
    expect(record).toEqual({
      provider: 'alpha',
      outcome: 'timeout',
      ms: 50,
      detail: 'lost the hedge: slower than its hedge delay',
    });
  });

  it('records breaker-open without calling the vendor when its breaker is open', async () => {
    const engine = alpha([reply.ok(10)]);
    engine.vendor('alpha').breaker.open();
    expect((await attemptAt(engine)).record).toEqual({
      provider: 'alpha',
      outcome: 'breaker-open',
      ms: 0,
      detail: 'breaker open',
    });
    expect(engine.client('alpha').calls).toEqual([]);
  });

  it('records quota-skip "minute quota spent" without calling the vendor once its minute window is spent', async () => {
    const engine = alpha([reply.ok(10)], { rateLimit: { perMinute: 1 } });
    await attemptAt(engine);
    expect((await attemptAt(engine)).record).toEqual({
      provider: 'alpha',
      outcome: 'quota-skip',
      ms: 0,
      detail: 'minute quota spent',
    });
    expect(engine.client('alpha').calls).toHaveLength(1);
  });

  it('records quota-skip "queue-full" without queueing when the vendor’s queue is full', async () => {
    const engine = alpha([reply.hang()], { rateLimit: { maxConcurrent: 1, maxQueue: 1 } });
    void attempt(engine.attemptInput('alpha'));
    await advanceTo(5);
    void attempt(engine.attemptInput('alpha'));
    await advanceTo(10);
    expect(engine.vendor('alpha').limiter.counts()).toEqual({ running: 1, queued: 1 });
    expect((await attemptAt(engine)).record).toEqual({
      provider: 'alpha',
      outcome: 'quota-skip',
      ms: 0,
      detail: 'queue-full',
    });
  });

  it('records quota-skip "queue-full" for a job the bounded queue drops', async () => {
    const engine = alpha([reply.hang()], { rateLimit: { maxConcurrent: 1, maxQueue: 1 } });
    void attempt(engine.attemptInput('alpha'));
    await advanceTo(5);
    // Both pass the queue check before either is queued; the queue then takes one and drops the other.
    const queued = attempt(engine.attemptInput('alpha'));
    const dropped = attempt(engine.attemptInput('alpha'));
    expect((await settle(dropped)).record).toEqual({
      provider: 'alpha',
      outcome: 'quota-skip',
      ms: 0,
      detail: 'queue-full',
    });
    expect(engine.vendor('alpha').limiter.counts()).toEqual({ running: 1, queued: 1 });
    void queued;
  });
});

describe('callFinished', () => {
  it('carries failed: true exactly for timeout, network, malformed and unavailable', async () => {
    const engine = alpha(
      [
        reply.ok(10),
        reply.notFound(10),
        reply.serverError(10),
        reply.malformed(10),
        reply.normalizerThrows(10),
        reply.rateLimited(1, 10),
        reply.hang(),
        reply.reset(10),
        reply.hang(),
      ],
      {},
      { retry: { attempts: 0, baseDelayMs: 1 } },
    );
    for (let call = 0; call < 8; call += 1) await attemptAt(engine);
    await attemptAt(engine, hedgeCancelAfter(50, false));
    expect(engine.log.of('callFinished').map(({ outcome, failed }) => [outcome, failed])).toEqual([
      ['ok', false],
      ['not-found', false],
      ['unavailable', true],
      ['malformed', true],
      ['malformed', true],
      ['rate-limited', false],
      ['timeout', true],
      ['network', true],
      ['aborted', false],
    ]);
  });

  it('carries the vendor, capability, time and queue wait of the call', async () => {
    const engine = alpha([reply.ok(25)]);
    await attemptAt(engine);
    expect(engine.log.of('callFinished')).toEqual([
      { provider: 'alpha', capability: 'stock-quote', outcome: 'ok', ms: 25, queuedMs: 0, failed: false },
    ]);
  });

  it('is not emitted for a vendor skipped for its spent quota', async () => {
    const engine = alpha([reply.ok(10)], { rateLimit: { perMinute: 1 } });
    await attemptAt(engine);
    await attemptAt(engine);
    expect(engine.log.of('callFinished').map((event) => event.outcome)).toEqual(['ok']);
  });
});

describe('the in-flight count', () => {
  it('counts a call while it runs', async () => {
    const engine = alpha([reply.hang()]);
    const running = attempt(engine.attemptInput('alpha'));
    await advanceTo(100);
    expect(engine.vendor('alpha').stats.snapshot().inFlight).toBe(1);
    await settle(running);
  });

  const paths: { name: string; script: Step[]; prepare?: (engine: Engine) => void; cancel?: boolean }[] = [
    { name: 'an answer', script: [reply.ok(10)] },
    { name: 'a 404', script: [reply.notFound(10)] },
    { name: 'an HTTP 500', script: [reply.serverError(10)] },
    { name: 'a schema failure', script: [reply.malformed(10)] },
    { name: 'a normalizer that throws', script: [reply.normalizerThrows(10)] },
    { name: 'a 429', script: [reply.rateLimited(1, 10)] },
    { name: 'a connection reset', script: [reply.reset(10)] },
    { name: 'a timeout', script: [reply.hang()] },
    { name: 'a hedge cancel', script: [reply.hang()], cancel: true },
    { name: 'an open breaker', script: [reply.ok(10)], prepare: (engine) => engine.vendor('alpha').breaker.open() },
  ];

  it.each(paths)('is back to 0 after $name', async ({ script, prepare, cancel }) => {
    const engine = alpha(script);
    prepare?.(engine);
    await attemptAt(engine, cancel ? hedgeCancelAfter(50, false) : undefined);
    expect(engine.vendor('alpha').stats.snapshot().inFlight).toBe(0);
    expect(engine.vendor('alpha').limiter.counts()).toEqual({ running: 0, queued: 0 });
  });
});

describe('a 429', () => {
  it('starts the vendor’s cooldown for its Retry-After', async () => {
    const engine = alpha([reply.rateLimited(7, 10)]);
    await attemptAt(engine);
    expect(engine.vendor('alpha').cooldown.remainingMs()).toBe(7_000);
    expect(engine.log.of('cooldownStarted')).toEqual([{ provider: 'alpha', until: isoAt(7_010), retryAfterMs: 7_000 }]);
  });

  it('caps a Retry-After longer than a day at 24 hours', async () => {
    const engine = alpha([reply.rateLimited(31 * 86_400, 10)]);
    await attemptAt(engine);
    expect(engine.log.of('cooldownStarted')).toEqual([
      { provider: 'alpha', until: isoAt(10 + 86_400_000), retryAfterMs: 86_400_000 },
    ]);
  });

  it('rests the vendor 30 s when it gives no Retry-After', async () => {
    const engine = alpha([reply.rateLimited(null, 10)]);
    await attemptAt(engine);
    expect(engine.log.of('cooldownStarted')).toEqual([
      { provider: 'alpha', until: isoAt(30_010), retryAfterMs: 30_000 },
    ]);
  });
});

describe('a network blip', () => {
  // The helper's routing.retry: { attempts: 1, baseDelayMs: 1 }, whose jittered backoff is always 1 ms.
  it('is retried once after the backoff, and the retry answers', async () => {
    const engine = alpha([reply.reset(5), reply.ok(10)]);
    expect((await attemptAt(engine)).record).toEqual({ provider: 'alpha', outcome: 'ok', ms: 16 });
    expect(engine.client('alpha').calls.map((call) => [call.startedAt, call.ending])).toEqual([
      [0, 'reset'],
      [6, 'ok'],
    ]);
  });

  it('counts as one successful call in the breaker when the retry answers', async () => {
    const engine = alpha([reply.reset(5), reply.ok(10)]);
    await attemptAt(engine);
    const { fires, failures, successes } = engine.vendor('alpha').breaker.stats;
    expect({ fires, failures, successes }).toEqual({ fires: 1, failures: 0, successes: 1 });
  });

  it('counts as one failure in the breaker when the retry is reset too', async () => {
    const engine = alpha([reply.reset(5)]);
    await attemptAt(engine);
    expect(engine.client('alpha').calls).toHaveLength(2);
    const { fires, failures, successes } = engine.vendor('alpha').breaker.stats;
    expect({ fires, failures, successes }).toEqual({ fires: 1, failures: 1, successes: 0 });
  });

  it('is not retried when routing.retry.attempts is 0', async () => {
    const engine = alpha([reply.reset(5), reply.ok(10)], {}, { retry: { attempts: 0, baseDelayMs: 1 } });
    expect((await attemptAt(engine)).record).toEqual({
      provider: 'alpha',
      outcome: 'network',
      ms: 5,
      detail: 'ECONNRESET',
    });
    expect(engine.client('alpha').calls).toHaveLength(1);
  });
});

describe('vendor stats', () => {
  // A rejection counted as a ~0 ms call would drag the moving average the `latency` strategy sorts by towards 0.
  it('leaves the call count and latency average alone when the vendor’s own breaker rejects a call', async () => {
    const engine = alpha([reply.ok(200)]);
    await attemptAt(engine);
    engine.vendor('alpha').breaker.open();
    await attemptAt(engine);
    const { calls, latencyEwmaMs } = engine.vendor('alpha').stats.snapshot();
    expect({ calls, latencyEwmaMs }).toEqual({ calls: 1, latencyEwmaMs: 200 });
  });
});

describe('fast hang ejection (breaker.consecutiveFailures)', () => {
  const runs = async (engine: Engine, count: number) => {
    for (let index = 0; index < count; index += 1) await attemptAt(engine);
  };

  it('opens the breaker at the fifth gateway failure in a row, long before the percentage could', async () => {
    // A volume threshold of 50 keeps the percentage breaker out of it.
    const engine = alpha([reply.hang()], { breaker: { volumeThreshold: 50 } });
    await runs(engine, 4);
    expect(engine.vendor('alpha').breaker.opened).toBe(false);
    await runs(engine, 1);
    expect(engine.vendor('alpha').breaker.opened).toBe(true);
    expect(engine.log.names()).toContain('breakerOpened');
    expect((await attemptAt(engine)).record.outcome).toBe('breaker-open');
  });

  it('counts timeouts, network errors and 5xx alike; an answer in between starts the run again', async () => {
    const engine = alpha(
      [
        reply.serverError(5),
        reply.hang(),
        reply.reset(5),
        reply.reset(5),
        reply.ok(5),
        reply.serverError(5),
        reply.serverError(5),
        reply.serverError(5),
        reply.serverError(5),
        reply.serverError(5),
      ],
      { breaker: { volumeThreshold: 50 } },
    );
    // 500, hang, reset (retried: one attempt) = 3 in a row, then a success.
    await runs(engine, 4);
    expect(engine.vendor('alpha').breaker.opened).toBe(false);
    await runs(engine, 4);
    expect(engine.vendor('alpha').breaker.opened).toBe(false);
    await runs(engine, 1);
    expect(engine.vendor('alpha').breaker.opened).toBe(true);
  });

  it('leaves malformed answers, 404s and 429s to the percentage breaker', async () => {
    const engine = alpha([reply.malformed(5), reply.notFound(5), reply.rateLimited(0, 5)], {
      breaker: { volumeThreshold: 50 },
    });
    await runs(engine, 12);
    expect(engine.vendor('alpha').breaker.opened).toBe(false);
  });

  it('is off at 0', async () => {
    const engine = alpha([reply.hang()], { breaker: { volumeThreshold: 50, consecutiveFailures: 0 } });
    await runs(engine, 10);
    expect(engine.vendor('alpha').breaker.opened).toBe(false);
  });
});
