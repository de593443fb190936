import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulators } from '../../sandbox/simulators.js';
import { startSandbox, type Sandbox } from '../../sandbox/start.js';
import { freePort } from '../../scripts/free-port.js';
import {
  startGateway,
  startedTogether,
  startNginx,
  type GatewayProcess,
  type RunningProcess,
} from '../../scripts/cluster-topology.js';
import { nginxAvailable } from '../helpers/nginx.js';
import { redisServerAvailable, startRedis, type TestRedis } from '../helpers/redis.js';

/**
 * deploy/nginx.conf in front of three gateway processes sharing a redis-server, all on loopback, as `npm run cluster`
 * runs them, over the polygon simulator. Clients on other loopback addresses (127.0.0.2…) stand for different
 * machines: nginx sees their address and passes it on in X-Forwarded-For.
 */
const graceMs = 1_500;
const clientRequestsPerWindow = 20;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const agents = new Map<string, http.Agent>();
/** A GET from `localAddress`, over a kept-alive connection of that client's own. */
function get(url: string, localAddress = '127.0.0.1', headers: Record<string, string> = {}): Promise<Answer> {
  let agent = agents.get(localAddress);
  if (!agent) {
    agent = new http.Agent({ keepAlive: true, localAddress });
    agents.set(localAddress, agent);
  }
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers, timeout: 10_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
  });
}

interface LoadResult {
  requests: number;
  failures: string[];
}

/**
 * `connections` clients asking `url` one request after another until `done(result)` says so, or 20 000 requests were
 * sent, or 15 s passed: bounded in count and time whatever happens.
 */
async function underLoad(url: string, connections: number, done: (result: LoadResult) => boolean) {
  const result: LoadResult = { requests: 0, failures: [] };
  const deadline = Date.now() + 15_000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (!done(result) && result.requests < 20_000 && Date.now() < deadline) {
        result.requests += 1;
        try {
          const answer = await get(url);
          if (answer.status !== 200) result.failures.push(`${answer.status} ${answer.body.slice(0, 200)}`);
        } catch (error) {
          result.failures.push(String(error));
        }
      }
    }),
  );
  return result;
}

describe.skipIf(!nginxAvailable || !redisServerAvailable)('nginx in front of three gateway processes', () => {
  let sandbox: Sandbox;
  let redis: TestRedis;
  let gateways: GatewayProcess[] = [];
  let nginx: RunningProcess;
  let front: string;
  const dir = mkdtempSync(join(tmpdir(), 'mdg-nginx-front-'));
  const nginxDir = mkdtempSync(join(tmpdir(), 'mdg-nginx-'));

  beforeAll(async () => {
    sandbox = await startSandbox(simulators.filter((definition) => definition.vendor === 'polygon'));
    redis = await startRedis();
    const configPath = join(dir, 'gateway.yaml');
    writeFileSync(
      configPath,
      [
        'server:',
        // startGateway gives each process its port.
        '  host: ${HOST}',
        '  port: ${PORT}',
        '  logLevel: warn',
        "  trustProxy: ['127.0.0.1']",
        `  clientRateLimit: { enabled: true, max: ${clientRequestsPerWindow}, windowMs: 60000 }`,
        `  shutdown: { graceMs: ${graceMs}, timeoutMs: 5000, webhookDrainMs: 1000 }`,
        'auth: { mode: open }',
        'routing: { strategy: priority, healthChecks: false, deadlineMs: 5000 }',
        // Quotes fresh for 3 s at any hour, so a refresh of the micro-cache is seen within a test.
        "cache: { ttlMs: { 'stock-quote': 3000 }, marketClosedMaxTtlMs: 0 }",
        `store: { redisUrl: '${redis.url}' }`,
        'providers:',
        '  polygon: { tier: 1, timeoutMs: 4000, rateLimit: { maxConcurrent: 64, maxQueue: 1000 } }',
        '',
      ].join('\n'),
    );
    const env = { ...sandbox.env, GATEWAY_CONFIG: configPath };
    gateways = await startedTogether([startGateway(env), startGateway(env), startGateway(env)]);
    const port = await freePort();
    nginx = await startNginx(
      // Its own directory: nginx's workers (an unprivileged user when the tests run as root) must reach the cache.
      { port, dir: nginxDir },
      gateways.map((gateway) => gateway.port),
    );
    front = `http://127.0.0.1:${port}`;
  }, 60_000);

  afterAll(async () => {
    for (const agent of agents.values()) agent.destroy();
    await Promise.all(gateways.map((gateway) => gateway.stop('SIGKILL')));
    await nginx?.stop('SIGTERM');
    await redis?.stop();
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(nginxDir, { recursive: true, force: true });
  });

  const polygonCalls = () => sandbox.simulators[0]!.requestCount;

  it("micro-caches a public answer for the freshness the gateway's headers give, and never a no-store one", async () => {
    const before = polygonCalls();
    const miss = await get(`${front}/v1/stocks/AAPL/quote`, '127.0.0.4');
    const hit = await get(`${front}/v1/stocks/AAPL/quote`, '127.0.0.4');
    expect([miss.status, miss.headers['x-cache-front']]).toEqual([200, 'MISS']);
    expect([hit.status, hit.headers['x-cache-front']]).toEqual([200, 'HIT']);
    expect(hit.headers['cache-control']).toMatch(
      /^public, max-age=\d+, stale-while-revalidate=\d+, stale-if-error=\d+$/,
    );
    expect(hit.headers.etag).toBe(miss.headers.etag);
    expect(hit.body).toBe(miss.body);
    expect(polygonCalls() - before).toBe(1);

    const revalidated = await get(`${front}/v1/stocks/AAPL/quote`, '127.0.0.4', {
      'if-none-match': miss.headers.etag as string,
    });
    expect([revalidated.status, revalidated.body]).toEqual([304, '']);

    for (let i = 0; i < 2; i += 1) {
      const operator = await get(`${front}/v1/providers`, '127.0.0.4');
      expect([operator.status, operator.headers['cache-control'], operator.headers['x-cache-front']]).toEqual([
        200,
        'no-store',
        'MISS',
      ]);
    }
  });

  it('serves the refreshed answer once its freshness ran out, not the copy it had open', async () => {
    // deploy/nginx.conf keeps cache files open (open_file_cache): a refresh writes a new file, which must win.
    const first = await get(`${front}/v1/stocks/MSFT/quote`, '127.0.0.5');
    expect((await get(`${front}/v1/stocks/MSFT/quote`, '127.0.0.5')).headers['x-cache-front']).toBe('HIT');
    // Each gateway answer carries its own meta.requestId, so a refreshed copy differs from the first. The first refresh
    // may be a 304 (the gateway's own copy unchanged), which keeps nginx's file: the new one comes a TTL later (~6 s).
    await expect
      .poll(
        async () => {
          const answer = await get(`${front}/v1/stocks/MSFT/quote`, '127.0.0.5');
          return answer.headers['x-cache-front'] === 'HIT' && answer.body !== first.body;
        },
        { timeout: 15_000, interval: 200 },
      )
      .toBe(true);
  });

  it('gives each client its own rate-limit bucket behind nginx (trustProxy), one the client cannot choose', async () => {
    const statuses = async (localAddress: string, count: number, headers: Record<string, string> = {}) => {
      const answers: number[] = [];
      for (let i = 0; i < count; i += 1)
        answers.push((await get(`${front}/v1/providers`, localAddress, headers)).status);
      return answers;
    };
    // Counted in Redis across the three instances nginx spreads these over.
    expect(await statuses('127.0.0.2', clientRequestsPerWindow)).toEqual(Array(clientRequestsPerWindow).fill(200));
    expect(await statuses('127.0.0.2', 1)).toEqual([429]);
    expect(await statuses('127.0.0.2', 1, { 'x-forwarded-for': '198.51.100.9' })).toEqual([429]);
    expect(await statuses('127.0.0.3', 1)).toEqual([200]);
  });

  it('drains on SIGTERM under load: /ready 503 through the grace, in-flight requests finish, 0 errors, exit 0', async () => {
    const draining = gateways[0]!;
    let exited = false;
    void draining.exited.then(() => (exited = true));
    // Until 200 more requests after the exit: nginx has met the closed listener again and again by then.
    let requestsAtExit = Infinity;
    const load = underLoad(`${front}/health`, 8, (result) => {
      if (exited && requestsAtExit === Infinity) requestsAtExit = result.requests;
      return result.requests >= requestsAtExit + 200;
    });
    // A request in flight when the listener closes: the vendor answers after the grace is over.
    sandbox.simulators[0]!.setFault({ mode: 'slow', delayMs: graceMs + 500 });
    const signalled = Date.now();
    draining.child.kill('SIGTERM');
    let ready = await get(`${draining.url}/ready`);
    while (ready.status === 200) ready = await get(`${draining.url}/ready`);
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body).reasons).toContainEqual(expect.stringMatching(/shutting down/));
    const inFlight = get(`${draining.url}/v1/stocks/DRAIN/quote`);
    // Still serving during the grace, and still not ready.
    const late = await get(`${draining.url}/ready`);
    expect(late.status).toBe(503);
    expect(Date.now() - signalled).toBeLessThan(graceMs);

    const code = await draining.exited;
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(graceMs);
    sandbox.simulators[0]!.setFault({ mode: 'ok', delayMs: 0 });
    expect(code, draining.output()).toBe(0);
    expect((await inFlight).status).toBe(200);
    const { requests, failures } = await load;
    expect(requests).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  });

  it('loses no request but its in-flight ones when an instance is killed (SIGKILL) under load', async () => {
    const connections = 8;
    const killed = gateways[1]!;
    // 300 requests before the kill, then 300 after it: nginx meets the dead instance again and again.
    let requestsAtKill = Infinity;
    const load = underLoad(`${front}/health`, connections, (result) => {
      if (result.requests === 300) {
        requestsAtKill = result.requests;
        killed.child.kill('SIGKILL');
      }
      return result.requests >= requestsAtKill + 300;
    });
    const { requests, failures } = await load;
    expect(await killed.exited).toBeNull();
    expect(requests).toBeGreaterThanOrEqual(600);
    expect(failures.length).toBeLessThanOrEqual(connections);
  });
});
