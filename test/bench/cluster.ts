import { startSandbox, type Sandbox } from '../../sandbox/start.js';
import { startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.js';
import { redisServerAvailable, startRedis, type TestRedis } from '../helpers/redis.js';

/*
 * npm run bench:cluster: N gateway processes on one redis-server over the simulators, measured from outside as an
 * operator would. Each scenario is one entry of `scenarios`, run in turn, printing one JSON line; add a scenario there.
 * BENCH_INSTANCES (3), BENCH_QUOTA (30 a minute), BENCH_REQUESTS (3 × quota). The whole run stops itself after 5 min.
 */

const instanceCount = Number(process.env.BENCH_INSTANCES ?? 3);
const quota = Number(process.env.BENCH_QUOTA ?? 30);
const requestCount = Number(process.env.BENCH_REQUESTS ?? 3 * quota);
const runLimitMs = 5 * 60_000;

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

const scenarios: Record<string, (cluster: Cluster) => Promise<Record<string, number>>> = { quotaExactness };

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
const instances = await Promise.all(
  Array.from({ length: instanceCount }, () =>
    startGatewayProcess({
      env: sandbox.env,
      vendors: {
        polygon: { tier: 1, rateLimit: { perMinute: quota, maxConcurrent: 10, maxQueue: 50 } },
        finnhub: { tier: 2, rateLimit: { perMinute: quota, maxConcurrent: 10, maxQueue: 50 } },
      },
      store: { redisUrl: redis.url, keyPrefix: 'bench', syncIntervalMs: 200 },
    }),
  ),
);
try {
  for (const [name, scenario] of Object.entries(scenarios)) {
    process.stdout.write(`${JSON.stringify({ scenario: name, ...(await scenario({ sandbox, redis, instances })) })}\n`);
  }
} finally {
  await Promise.all(instances.map((instance) => instance.stop('SIGTERM')));
  await redis.stop();
  await sandbox.close();
}
