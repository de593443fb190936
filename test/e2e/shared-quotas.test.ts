import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { RateLimitConfig } from '../../src/config/schema.js';
import { startSandbox, type Sandbox } from '../../sandbox/start.js';
import { startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.js';
import type { GatewayProcessSettings } from '../helpers/gateway-process-main.js';
import { redisServerAvailable, useRedisServer } from '../helpers/redis.js';

/*
 * Quotas across gateway processes (each a node process of its own) over one set of simulators, with a real
 * redis-server, or a state file without one. The simulators count the calls each vendor really saw.
 */

const limits = (rateLimit: Partial<RateLimitConfig>): RateLimitConfig => ({
  maxConcurrent: 10,
  maxQueue: 50,
  ...rateLimit,
});

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => sandbox.close());

const callsTo = (vendor: string) => sandbox.simulators.find((simulator) => simulator.vendor === vendor)!.requestCount;

async function startAll(count: number, settings: Omit<GatewayProcessSettings, 'env'>): Promise<GatewayProcess[]> {
  const started = await Promise.all(
    Array.from({ length: count }, () => startGatewayProcess({ env: sandbox.env, ...settings })),
  );
  onTestFinished(async () => {
    await Promise.all(started.map((gateway) => gateway.stop('SIGKILL')));
  });
  return started;
}

interface Answer {
  status: number;
  provider: string | null;
  retryAfter: string | null;
}

/** `symbols.length` quote requests, spread round-robin over the instances, a few in flight at once. */
async function quotes(instances: readonly GatewayProcess[], symbols: readonly string[]): Promise<Answer[]> {
  const answers: Answer[] = [];
  let next = 0;
  const worker = async () => {
    while (next < symbols.length) {
      const index = next++;
      const instance = instances[index % instances.length]!;
      const response = await fetch(`${instance.url}/v1/stocks/${symbols[index]}/quote`);
      const body = (await response.json()) as { meta?: { provider?: string } };
      answers.push({
        status: response.status,
        provider: body.meta?.provider ?? null,
        retryAfter: response.headers.get('retry-after'),
      });
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  return answers;
}

let batch = 0;
/** Symbols no earlier request used, so every one is a miss everywhere. */
function uniqueSymbols(count: number): string[] {
  batch += 1;
  return Array.from({ length: count }, (_, index) => `Q${String.fromCharCode(65 + batch)}${index}`);
}

async function polygonQuota(instance: GatewayProcess): Promise<Record<string, number>> {
  const response = await fetch(`${instance.url}/v1/providers`);
  const { data } = (await response.json()) as {
    data: { name: string; quota: { window: string; remaining: number }[] }[];
  };
  const polygon = data.find((vendor) => vendor.name === 'polygon')!;
  return Object.fromEntries(polygon.quota.map((window) => [window.window, window.remaining]));
}

// A gateway process takes seconds to start (tsx compiles the sources): these tests get more time than the default.
const processTimeout = { timeout: 120_000 };

describe.skipIf(!redisServerAvailable)('quotas shared through Redis by three gateway processes', processTimeout, () => {
  const redis = useRedisServer();

  it('90 uncached requests over three instances: each vendor sees at most its 30 a minute, the rest get 503 and Retry-After', async () => {
    const instances = await startAll(3, {
      vendors: {
        polygon: { tier: 1, rateLimit: limits({ perMinute: 30 }) },
        finnhub: { tier: 2, rateLimit: limits({ perMinute: 30 }) },
      },
      store: { redisUrl: redis.url, keyPrefix: 'exact', syncIntervalMs: 200 },
    });
    const before = { polygon: callsTo('polygon'), finnhub: callsTo('finnhub') };
    const answers = await quotes(instances, uniqueSymbols(90));
    const seen = { polygon: callsTo('polygon') - before.polygon, finnhub: callsTo('finnhub') - before.finnhub };
    expect(seen.polygon).toBeLessThanOrEqual(30);
    expect(seen.finnhub).toBeLessThanOrEqual(30);
    // Tokens stranded in leases when the window filled: at most a lease (3) per instance and vendor.
    expect(seen.polygon + seen.finnhub).toBeGreaterThanOrEqual(60 - 2 * 3 * 3);
    const ok = answers.filter((answer) => answer.status === 200);
    expect(ok.length).toBe(seen.polygon + seen.finnhub);
    const refused = answers.filter((answer) => answer.status !== 200);
    expect(refused.length).toBe(90 - ok.length);
    for (const answer of refused) {
      expect(answer.status).toBe(503);
      expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
    }
  });

  it('restarting every instance keeps the day and month counts: the vendor gets no call more than its plan', async () => {
    const settings = {
      vendors: {
        polygon: { tier: 1, rateLimit: limits({ perDay: 10, perMonth: 15 }) },
        finnhub: { tier: 2, rateLimit: limits({}) },
      },
      store: { redisUrl: redis.url, keyPrefix: 'restart', syncIntervalMs: 200 },
    };
    const before = callsTo('polygon');
    const first = await startAll(3, settings);
    const answers = await quotes(first, uniqueSymbols(20));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    const spent = callsTo('polygon') - before;
    expect(spent).toBeLessThanOrEqual(10);
    await Promise.all(first.map((gateway) => gateway.stop('SIGTERM')));
    // What the stopped instances left in Redis, leases handed back: at least every call the vendor saw (a grant that
    // timed out on a loaded machine may still have counted).
    const client = new Redis(redis.url);
    onTestFinished(() => client.disconnect());
    const counted = async (window: string) => {
      const keys = await client.keys(`restart:quota:polygon:${window}:*`);
      const values = keys.length > 0 ? await client.mget(keys) : [];
      return values.reduce((sum, value) => sum + Number(value ?? 0), 0);
    };
    const left = { month: 15 - (await counted('month')), day: 10 - (await counted('day')) };
    expect(left.day).toBeLessThanOrEqual(10 - spent);
    expect(left.month).toBeLessThanOrEqual(15 - spent);

    const second = await startAll(3, settings);
    // Nothing refilled: the new instances start from the same counts (their view syncs from Redis a moment after
    // start; on a loaded machine the first /v1/providers may come before it).
    await vi.waitFor(async () => expect(await polygonQuota(second[0]!)).toEqual(left), {
      timeout: 5_000,
      interval: 100,
    });
    const more = await quotes(second, uniqueSymbols(20));
    expect(more.every((answer) => answer.status === 200)).toBe(true);
    expect(callsTo('polygon') - before).toBeLessThanOrEqual(10);
  });
});

describe('quotas without Redis: one instance keeps its windows in the state file', processTimeout, () => {
  it('a 3-a-month plan gives 3 calls, and none more after a restart', async () => {
    const settings = {
      vendors: {
        polygon: { tier: 1, rateLimit: limits({ perMonth: 3 }) },
        finnhub: { tier: 2, rateLimit: limits({}) },
      },
      store: { quotaStateFile: `${process.env.TMPDIR ?? '/tmp'}/mdg-restart-${process.pid}-${Date.now()}.json` },
    };
    const before = callsTo('polygon');
    const [first] = await startAll(1, settings);
    expect((await quotes([first!], uniqueSymbols(6))).every((answer) => answer.status === 200)).toBe(true);
    expect(callsTo('polygon') - before).toBe(3);
    expect(await first!.stop('SIGTERM')).toBe(0);

    const [second] = await startAll(1, settings);
    expect(await polygonQuota(second!)).toEqual({ month: 0 });
    expect((await quotes([second!], uniqueSymbols(6))).every((answer) => answer.status === 200)).toBe(true);
    expect(callsTo('polygon') - before).toBe(3);
  });
});
