import type { FaultMode } from '../../sandbox/faults.js';
import { startSandbox, type Sandbox } from '../../sandbox/start.js';
import { startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.js';
import type { GatewayProcessSettings } from '../helpers/gateway-process-main.js';
import { redisServerAvailable, startRedis, type TestRedis } from '../helpers/redis.js';

/*
 * npm run bench:cluster: N gateway processes on one redis-server over the simulators, measured from outside as an
 * operator would. Each scenario is one entry of `scenarios`, run in turn on a cluster of its own (its vendors, its key
 * prefix), printing one JSON line; add a scenario there. BENCH_INSTANCES (3), BENCH_QUOTA (30 a minute), BENCH_REQUESTS
 * (3 × quota), BENCH_EJECTION_RATE (100 requests a second), BENCH_HOT_KEYS (10) and BENCH_HOT_REQUESTS (10 per instance
 * and key). The whole run stops itself after 5 min.
 */

const instanceCount = Number(process.env.BENCH_INSTANCES ?? 3);
const quota = Number(process.env.BENCH_QUOTA ?? 30);
const requestCount = Number(process.env.BENCH_REQUESTS ?? 3 * quota);
const ejectionRate = Number(process.env.BENCH_EJECTION_RATE ?? 100);
const hotKeys = Number(process.env.BENCH_HOT_KEYS ?? 10);
const hotRequestsPerInstance = Number(process.env.BENCH_HOT_REQUESTS ?? 10);
/** The vendor's latency in the coalescing scenario: issue 13's "waiters p50 ≤ 250 ms with a 200 ms vendor". */
const hotVendorDelayMs = 200;
const runLimitMs = 5 * 60_000;

/** The value at `fraction` of an ascending list, rounded; -1 for an empty one. */
const percentile = (sorted: number[], fraction: number) =>
  Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? -1);

interface Cluster {
  sandbox: Sandbox;
  redis: TestRedis;
  instances: GatewayProcess[];
}

/** Calls the quota'd vendor saw against its quota, over unique uncached quote requests spread round-robin. */
async function quotaExactness({ sandbox, instances }: Cluster): Promise<Record<string, number>> {
  const polygon = sandbox.simulators.find((simulator) => simulator.vendor === 'polygon')!;
  const before = polygon.requestCount;
  const statuses = new Map<number, number>();
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < requestCount) {
      const index = next++;
      const instance = instances[index % instances.length]!;
      const response = await fetch(`${instance.url}/v1/stocks/QX${index}/quote`);
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: 12 }, worker));
  const vendorCalls = polygon.requestCount - before;
  return {
    instances: instances.length,
    quotaPerMinute: quota,
    requests: requestCount,
    vendorCalls,
    overspent: Math.max(0, vendorCalls - quota),
    unusedQuota: Math.max(0, quota - vendorCalls),
    answered200: statuses.get(200) ?? 0,
    refused503: statuses.get(503) ?? 0,
    otherStatuses: [...statuses]
      .filter(([status]) => status !== 200 && status !== 503)
      .reduce((sum, [, n]) => sum + n, 0),
    durationMs: Math.round(performance.now() - started),
  };
}

/**
 * How fast every instance stops calling a vendor that fails on one: after a healthy warm-up, the vendor faults (`mode`)
 * while only the first instance has traffic, uncached quotes at `ejectionRate` a second; every 10 ms each instance's /v1/providers is read.
 * Reports when the first instance's breaker opened and when each other instance marked the vendor ejected, from the
 * fault's start; the others never call it, so they can only learn it from the first (pub/sub and `SET PX`).
 */
function crossInstanceEjection(mode: FaultMode) {
  return async ({ sandbox, instances }: Cluster): Promise<Record<string, number>> => {
    const polygon = sandbox.simulators.find((simulator) => simulator.vendor === 'polygon')!;
    const [first, ...others] = instances;
    if (!first || others.length === 0) throw new Error('crossInstanceEjection needs two instances or more');
    const view = async (instance: GatewayProcess) => {
      const response = await fetch(`${instance.url}/v1/providers`);
      const body = (await response.json()) as {
        data: { name: string; breaker: { state: string } | null; ejectedUntil: string | null }[];
      };
      return body.data.find((entry) => entry.name === 'polygon');
    };
    // A healthy second of traffic first: with no latency samples the hedge waits its maximum (routing.hedging).
    for (let index = 0; index < ejectionRate; index += 1) {
      await (await fetch(`${first.url}/v1/stocks/WARM${mode}${index}/quote`)).arrayBuffer();
    }
    const started = performance.now();
    polygon.setFault({ mode, delayMs: 0 });
    const since = () => Math.round(performance.now() - started);
    let openedMs = -1;
    const ejectedMs = others.map(() => -1);
    const statuses = new Map<number, number>();
    const latencies: number[] = [];
    let sent = 0;
    let polls = 0;
    const inFlight = new Set<Promise<void>>();
    const deadline = started + 10_000;
    while (performance.now() < deadline && (openedMs < 0 || ejectedMs.includes(-1))) {
      const due = Math.floor(((performance.now() - started) * ejectionRate) / 1_000);
      for (; sent < due; sent += 1) {
        const sentAt = performance.now();
        const request = fetch(`${first.url}/v1/stocks/EJ${mode}${sent}/quote`)
          .then(async (response) => {
            await response.arrayBuffer();
            latencies.push(performance.now() - sentAt);
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          })
          .catch(() => {
            statuses.set(0, (statuses.get(0) ?? 0) + 1);
          })
          .finally(() => inFlight.delete(request));
        inFlight.add(request);
      }
      const [firstView, ...otherViews] = await Promise.all([view(first), ...others.map(view)]);
      polls += 1;
      if (openedMs < 0 && firstView?.breaker?.state === 'open') openedMs = since();
      otherViews.forEach((entry, index) => {
        if (ejectedMs[index] === -1 && entry?.ejectedUntil) ejectedMs[index] = since();
      });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const pollCycleMs = Math.round((performance.now() - started) / Math.max(1, polls));
    await Promise.all(inFlight);
    polygon.setFault({ mode: 'ok', delayMs: 0 });
    latencies.sort((a, b) => a - b);
    const lastEjected = Math.max(...ejectedMs);
    return {
      instances: instances.length,
      requestsPerSecond: ejectionRate,
      requests: sent,
      openedOnFirstMs: openedMs,
      ejectedOnAllOthersMs: ejectedMs.includes(-1) ? -1 : lastEjected,
      // Seen in the same poll as the opening is 0: below the resolution, pollCycleMs.
      propagationMs: openedMs < 0 || ejectedMs.includes(-1) ? -1 : lastEjected - openedMs,
      pollCycleMs,
      clientErrors: sent - (statuses.get(200) ?? 0),
      p99Ms: percentile(latencies, 0.99),
    };
  };
}

/**
 * Cluster-wide coalescing: for each of `hotKeys` cold quotes, every instance gets `hotRequestsPerInstance` requests at
 * once while the vendor answers after 200 ms. One vendor call per key is the target; the requests that did not make it
 * (`X-Cache: coalesced`, on the fetching instance or another) are the waiters, whose latency is measured from the send.
 */
async function coalescing({ sandbox, instances }: Cluster): Promise<Record<string, number>> {
  const polygon = sandbox.simulators.find((simulator) => simulator.vendor === 'polygon')!;
  const ask = async (instance: GatewayProcess, symbol: string) => {
    const sentAt = performance.now();
    const response = await fetch(`${instance.url}/v1/stocks/${symbol}/quote`);
    await response.arrayBuffer();
    return { status: response.status, cache: response.headers.get('x-cache'), ms: performance.now() - sentAt };
  };
  // Warm-up, not counted: each instance's first vendor call opens its connection pool.
  await Promise.all(instances.map((instance, index) => ask(instance, `HOTWARM${index}`)));
  polygon.setFault({ mode: 'slow', delayMs: hotVendorDelayMs });
  const before = polygon.requestCount;
  const waiters: number[] = [];
  const fetchers: number[] = [];
  let failed = 0;
  let coalescedAcross = 0;
  for (let key = 0; key < hotKeys; key += 1) {
    const answers = await Promise.all(
      instances.flatMap((instance) => Array.from({ length: hotRequestsPerInstance }, () => ask(instance, `HOT${key}`))),
    );
    for (const answer of answers) {
      if (answer.status !== 200) failed += 1;
      else if (answer.cache === 'coalesced') waiters.push(answer.ms);
      else fetchers.push(answer.ms);
    }
    // An instance whose every request waited took the answer from another instance, through Redis.
    for (let index = 0; index < instances.length; index += 1) {
      const own = answers.slice(index * hotRequestsPerInstance, (index + 1) * hotRequestsPerInstance);
      if (own.every((answer) => answer.cache === 'coalesced')) coalescedAcross += 1;
    }
  }
  polygon.setFault({ mode: 'ok', delayMs: 0 });
  const vendorCalls = polygon.requestCount - before;
  waiters.sort((a, b) => a - b);
  fetchers.sort((a, b) => a - b);
  return {
    instances: instances.length,
    keys: hotKeys,
    requests: hotKeys * instances.length * hotRequestsPerInstance,
    vendorDelayMs: hotVendorDelayMs,
    vendorCalls,
    vendorCallsPerKey: vendorCalls / hotKeys,
    instancesServedByAnother: coalescedAcross,
    fetchers: fetchers.length,
    fetcherP50Ms: percentile(fetchers, 0.5),
    waiters: waiters.length,
    waiterP50Ms: percentile(waiters, 0.5),
    waiterP99Ms: percentile(waiters, 0.99),
    failed,
  };
}

interface Scenario {
  vendors: GatewayProcessSettings['vendors'];
  cache?: GatewayProcessSettings['cache'];
  run(cluster: Cluster): Promise<Record<string, number>>;
}

const quotaVendors: GatewayProcessSettings['vendors'] = {
  polygon: { tier: 1, rateLimit: { perMinute: quota, maxConcurrent: 10, maxQueue: 50 } },
  finnhub: { tier: 2, rateLimit: { perMinute: quota, maxConcurrent: 10, maxQueue: 50 } },
};
/** polygon alone, without quotas: every call the cluster makes for a hot key is polygon's to count. */
const hotVendors: GatewayProcessSettings['vendors'] = {
  polygon: { tier: 1, rateLimit: { maxConcurrent: 50, maxQueue: 100 } },
};
/** No quotas in the way, and a breaker that stays open for the whole measurement. */
const ejectionVendors: GatewayProcessSettings['vendors'] = {
  polygon: { tier: 1, rateLimit: { maxConcurrent: 50, maxQueue: 100 }, breaker: { resetTimeoutMs: 60_000 } },
  finnhub: { tier: 2, rateLimit: { maxConcurrent: 50, maxQueue: 100 } },
};

const scenarios: Record<string, Scenario> = {
  quotaExactness: { vendors: quotaVendors, run: quotaExactness },
  ejectionOnErrors: { vendors: ejectionVendors, run: crossInstanceEjection('error') },
  ejectionOnHang: { vendors: ejectionVendors, run: crossInstanceEjection('hang') },
  coalescing: { vendors: hotVendors, cache: { enabled: true }, run: coalescing },
};

if (!redisServerAvailable) {
  process.stderr.write('bench:cluster needs redis-server on PATH (apt-get install -y redis-server)\n');
  process.exit(1);
}
setTimeout(() => {
  process.stderr.write(`bench:cluster: stopped after ${runLimitMs / 1000} s\n`);
  process.exit(1);
}, runLimitMs).unref();

const sandbox = await startSandbox();
const redis = await startRedis();
try {
  for (const [name, scenario] of Object.entries(scenarios)) {
    const instances = await Promise.all(
      Array.from({ length: instanceCount }, () =>
        startGatewayProcess({
          env: sandbox.env,
          vendors: scenario.vendors,
          store: { redisUrl: redis.url, keyPrefix: `bench-${name}`, syncIntervalMs: 200 },
          ...(scenario.cache ? { cache: scenario.cache } : {}),
        }),
      ),
    );
    try {
      process.stdout.write(
        `${JSON.stringify({ scenario: name, ...(await scenario.run({ sandbox, redis, instances })) })}\n`,
      );
    } finally {
      await Promise.all(instances.map((instance) => instance.stop('SIGTERM')));
    }
  }
} finally {
  await redis.stop();
  await sandbox.close();
}
