import { spawn, type ChildProcess, type Serializable } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { nginxAvailable, runNginx, startNginx, tempPathDirectives } from '../../scripts/cluster-topology.js';
import { freePort } from '../../scripts/free-port.js';
import { runWrk, wrkAvailable } from './wrk.js';

/**
 * `npm run bench`: what the gateway costs against its ceilings, on loopback, in one run. Four servers, each in its own
 * process, and this load generator in a fifth:
 * - bare Fastify answering a small JSON body (plain node), twice: without a logger, and with its request log;
 * - the polygon simulator (test/bench/vendors-server.ts);
 * - the gateway as production runs it: `npm start`'s node flags and script (dist/src/server.js, so `npm run build`
 *   first), LOG_LEVEL info with its log to /dev/null, polygon as its only vendor with the quota lifted, everything else
 *   from config defaults.
 * ROUNDS rounds run the scenarios interleaved, in a rotating order, so machine noise hits all alike. Each run is bounded
 * by time (DURATION_S) or by count (SEQUENTIAL, BURST):
 * (a) bare Fastify, 50 connections: the ceiling;
 * (b) the polygon simulator called directly, one connection: the vendor's own latency;
 * (c) the gateway answering a stock quote from its cache, 50 connections;
 * (d) the gateway on a cache miss (Cache-Control: no-cache) through the simulator, one connection;
 * (e) BURST identical concurrent requests for a cold quote while the simulator answers after 200 ms;
 * (f) bare Fastify again, with Fastify's own request log on: what logging each request costs Fastify alone;
 * (g) cache hits through the nginx front (deploy/nginx.conf, micro-caching on the gateway's Cache-Control), 50
 *     connections, in front of a second gateway in open mode (answers to a keyed client are private: nginx keeps none);
 * (h) the peer: nginx with a plain proxy_cache (1 s for any 200, the gateway's headers ignored) in front of the same
 *     gateway;
 * (m) nginx answering a fixed body from its configuration: the most any nginx scenario can reach on this machine, where
 *     the load generator shares the cores. (g), (h) and (m) need the nginx binary; without it they are left out, loudly.
 *     Their "nginx CPU" column is nginx's own (master and workers); (m)'s other columns are its master process's;
 * (i) the polygon simulator called directly, MISS_CONNECTIONS connections: the vendor's own throughput, the ceiling of
 * (j) the gateway on cache misses, MISS_CONNECTIONS connections: uncached throughput per instance;
 * (k) the polygon simulator called directly at a steady MISS_RATE requests a second (open loop, paced by this process),
 * (l) the gateway on cache misses at the same steady rate: (l) − (k) is what a miss adds under load. These two run
 *     after the others, alternating, warmed up by them.
 * The timed scenarios (a, c, f–j, m) are loaded by wrk when it is installed (test/bench/wrk.ts: autocannon needs a core
 * of the two for itself and was the ceiling of every fast server here), the counted ones (b, d, e) by autocannon;
 * BENCH_LOADGEN=autocannon loads all with autocannon. Latency percentiles come from autocannon's per-response times (its
 * histogram keeps whole milliseconds) or wrk's quantiles. Peak RSS and CPU time per request are read from /proc (Linux),
 * per scenario, for the process under test; with more than one round, (j)'s CPU per miss is also printed round by round.
 * BENCH_SCENARIOS=c,d runs a subset; BENCH_PROFILE=dir writes a V8 CPU profile of the gateway there;
 * BENCH_LOG_LEVEL sets the gateway's log level (default info); BENCH_GATEWAY=path/server.js measures another build;
 * BENCH_NODE_FLAGS adds flags to the gateway's node, after npm start's (a later flag wins).
 * BENCH_GC=1 runs the gateway with V8's --trace-gc-nvp and reports its collections per scenario (log level warn unless
 * BENCH_LOG_LEVEL says otherwise: the trace shares the gateway's stdout with its log).
 * BENCH_AUTH=open runs the gateway without client keys (auth.mode open; builds older than client keys ignore the keys
 * and must not be given open); by default every request carries a client key (the no-cache scenario an operator key),
 * so open against the default is what the key check costs a request.
 */
const rounds = Number(process.env.ROUNDS ?? 3);
const durationS = Number(process.env.DURATION_S ?? 3);
const sequential = Number(process.env.SEQUENTIAL ?? 1_000);
const burst = Number(process.env.BURST ?? 1_000);
const missConnections = Number(process.env.MISS_CONNECTIONS ?? 16);
const missRate = Number(process.env.MISS_RATE ?? 1_000);
const only = process.env.BENCH_SCENARIOS?.split(',');
const traceGc = process.env.BENCH_GC === '1';
const serverScript = process.env.BENCH_GATEWAY ?? 'dist/src/server.js';
const startScript = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
const gatewayNodeFlags = [
  ...startScript.split(' ').filter((word) => word.startsWith('--')),
  ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
  ...(traceGc ? ['--trace-gc-nvp'] : []),
];
if (!existsSync(serverScript)) throw new Error(`${serverScript} is missing: run npm run build first`);
const autocannonAsked = process.env.BENCH_LOADGEN === 'autocannon';
const useWrk = wrkAvailable && !autocannonAsked;
const loadGenerator = useWrk ? 'wrk' : 'autocannon';
if (!wrkAvailable && !autocannonAsked) {
  process.stderr.write(
    '*** wrk not found: the timed scenarios are loaded by autocannon, which shares the two cores and caps every fast ' +
      'server (apt-get install -y wrk) ***\n',
  );
}

// LOGGED=1: Fastify's own request log at info (two lines a request, to stdout, which is /dev/null here).
const helloSource = `
import Fastify from 'fastify';
const app = Fastify({ logger: process.env.LOGGED === '1' });
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
`;

function request(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(url, { headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

async function untilAnswering(url: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if ((await request(url).catch(() => ({ status: 0 }))).status === 200) return;
    await sleep(50);
  }
  throw new Error(`${url} did not answer`);
}

/**
 * Peak RSS since the last reset, and CPU time so far (Linux /proc): of the whole process, GC and libuv helper threads
 * included, and of its main thread alone, whose time bounds what one instance can serve.
 */
function processStats(pid: number): { peakRssBytes: number; cpuMs: number; mainThreadCpuMs: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return {
    peakRssBytes: peakKb * 1024,
    cpuMs: cpuMsIn(`/proc/${pid}/stat`),
    mainThreadCpuMs: cpuMsIn(`/proc/${pid}/task/${pid}/stat`),
  };
}

/** Fields 14 and 15 of a /proc stat file: user and system time in clock ticks (100 a second on Linux). */
function cpuMsIn(statFile: string): number {
  const fields = readFileSync(statFile, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * CPU time so far of nginx: its master and its workers (the processes whose parent it is), which answer the requests.
 * A worker that exited since the last reading is not counted: nginx keeps its workers for its whole life.
 */
function nginxCpuMs(masterPid: number): number {
  const workers = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(masterPid);
      } catch {
        return false; // gone since the listing
      }
    });
  return [String(masterPid), ...workers].reduce((total, pid) => total + cpuMsIn(`/proc/${pid}/stat`), 0);
}

function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

const vendors = spawn(process.execPath, ['--import', 'tsx', 'test/bench/vendors-server.ts'], {
  stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
});
const polygonUrl = await new Promise<string>((resolve) => {
  createInterface({ input: vendors.stdout! }).once('line', (line) =>
    resolve((JSON.parse(line) as { url: string }).url),
  );
});
function askVendors(message: Serializable): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    vendors.once('message', (reply) => resolve(reply as Record<string, unknown>));
    vendors.send(message);
  });
}

const logLevel = process.env.BENCH_LOG_LEVEL ?? (traceGc ? 'warn' : 'info');
const authOpen = process.env.BENCH_AUTH === 'open';
const clientKey = 'bench-client-key-0123456789abcdef';
const adminKey = 'bench-admin-key-0123456789abcdef';
const asClient: Record<string, string> = authOpen ? {} : { 'x-api-key': clientKey };
const asOperator: Record<string, string> = authOpen ? {} : { 'x-api-key': adminKey };
const [gatewayPort, helloPort, loggedHelloPort] = [await freePort(), await freePort(), await freePort()];
const configDir = mkdtempSync(join(tmpdir(), 'mdg-bench-'));
const configPath = join(configDir, 'gateway.yaml');
writeFileSync(
  configPath,
  [
    `server: { host: 127.0.0.1, port: ${gatewayPort}, logLevel: ${logLevel}, clientRateLimit: { enabled: false } }`,
    'routing: { strategy: priority, healthChecks: false }',
    ...(authOpen ? ['auth: { mode: open }'] : []),
    'providers:',
    '  polygon: { tier: 1, timeoutMs: 1500, rateLimit: { maxConcurrent: 256, maxQueue: 1000 } }',
    '',
  ].join('\n'),
);
const gateway = spawn(
  process.execPath,
  [
    ...gatewayNodeFlags,
    ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
    serverScript,
  ],
  {
    stdio: ['ignore', traceGc ? 'pipe' : 'ignore', 'inherit'],
    env: {
      ...process.env,
      GATEWAY_CONFIG: configPath,
      POLYGON_BASE_URL: polygonUrl,
      POLYGON_API_KEY: 'sandbox-key',
      // Open mode gets no keys: with an operator key configured, keyless callers lose the operator options.
      ...(authOpen ? {} : { GATEWAY_API_KEYS: clientKey, GATEWAY_ADMIN_KEY: adminKey }),
    },
  },
);
/** The gateway's collections so far, from V8's --trace-gc-nvp lines (BENCH_GC=1): young (gc=s) and full, pauses. */
const collections: Collections = { young: 0, full: 0, pauseMs: 0 };
if (traceGc) {
  createInterface({ input: gateway.stdout! }).on('line', (line) => {
    const kind = / gc=(\w+) /.exec(line)?.[1];
    if (!kind) return;
    if (kind === 's') collections.young += 1;
    else collections.full += 1;
    collections.pauseMs += Number(/ pause=([\d.]+) /.exec(line)?.[1] ?? 0);
  });
}

const startHello = (port: number, logged: boolean) =>
  spawn(process.execPath, ['--input-type=module', '-e', helloSource], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PORT: String(port), LOGGED: logged ? '1' : '0' },
  });
const hello = startHello(helloPort, false);
const loggedHello = startHello(loggedHelloPort, true);

// (g) and (h): a gateway in open mode (its answers are public), behind deploy/nginx.conf and behind a plain proxy_cache;
// (m) nginx alone.
const nginxScenarios: readonly string[] = ['g', 'h', 'm'];
const withNginx = nginxAvailable && (!only || only.some((name) => nginxScenarios.includes(name)));
if (!withNginx && nginxAvailable === false) {
  process.stderr.write(
    '*** nginx not found: scenarios (g), (h) and (m) are SKIPPED (apt-get install -y nginx-light) ***\n',
  );
}
const [openGatewayPort, frontPort, peerPort, fixedPort] = [
  await freePort(),
  await freePort(),
  await freePort(),
  await freePort(),
];
const openConfigPath = join(configDir, 'open-gateway.yaml');
writeFileSync(
  openConfigPath,
  readFileSync(configPath, 'utf8')
    .replace(`port: ${gatewayPort}`, `port: ${openGatewayPort}`)
    .replace('auth: { mode: open }\n', '') + 'auth: { mode: open }\n',
);
const openGateway = withNginx
  ? spawn(process.execPath, [...gatewayNodeFlags, serverScript], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        GATEWAY_CONFIG: openConfigPath,
        POLYGON_BASE_URL: polygonUrl,
        POLYGON_API_KEY: 'sandbox-key',
      },
    })
  : undefined;
const servers = [gateway, hello, loggedHello, vendors, ...(openGateway ? [openGateway] : [])];
// Whatever ends this process (an error included) ends the servers too.
process.on('exit', () => {
  for (const child of servers) child.kill('SIGTERM');
});
const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
const helloUrl = `http://127.0.0.1:${helloPort}/`;
const loggedHelloUrl = `http://127.0.0.1:${loggedHelloPort}/`;
await untilAnswering(`${gatewayUrl}/health`);
await untilAnswering(helloUrl);
await untilAnswering(loggedHelloUrl);
// One directory each, straight under the temporary directory: nginx's workers (an unprivileged user when this runs as
// root) must reach their cache, and mkdtemp makes directories only their owner may enter.
const [frontDir, peerDir, fixedDir] = [
  mkdtempSync(join(tmpdir(), 'mdg-bench-front-')),
  mkdtempSync(join(tmpdir(), 'mdg-bench-peer-')),
  mkdtempSync(join(tmpdir(), 'mdg-bench-fixed-')),
];
/** An nginx of the bench's own on 127.0.0.1:`port`: `http` holds its http-level lines, `location` its one location. */
const plainNginx = (port: number, dir: string, http: string[], location: string[]) =>
  runNginx(
    { port, dir },
    [
      'worker_processes auto;',
      'events { worker_connections 4096; }',
      'http {',
      tempPathDirectives(dir),
      '  access_log off;',
      ...http.map((line) => `  ${line}`),
      `  server { listen 127.0.0.1:${port};`,
      `    location / { ${location.join('\n      ')} } }`,
      '}',
      '',
    ].join('\n'),
  );
const nginxFront = openGateway
  ? await (async () => {
      await untilAnswering(`http://127.0.0.1:${openGatewayPort}/health`);
      return startNginx({ port: frontPort, dir: frontDir }, [openGatewayPort]);
    })()
  : undefined;
const nginxPeer = openGateway
  ? await plainNginx(
      peerPort,
      peerDir,
      [
        `proxy_cache_path ${join(peerDir, 'cache')} keys_zone=peer:16m;`,
        `upstream gateway { server 127.0.0.1:${openGatewayPort}; keepalive 64; }`,
      ],
      [
        'proxy_pass http://gateway; proxy_http_version 1.1; proxy_set_header Connection "";',
        'proxy_cache peer; proxy_cache_valid 200 1s; proxy_ignore_headers Cache-Control Expires;',
        'proxy_cache_lock on; proxy_cache_use_stale updating;',
      ],
    )
  : undefined;
// (m): nginx answering a fixed body from its configuration, no cache, no upstream: the most any nginx scenario could
// reach here, which on a 2-core machine is the load generator's own ceiling as much as nginx's.
const nginxFixed = openGateway
  ? await plainNginx(fixedPort, fixedDir, [], [`default_type application/json; return 200 '{"hello":"world"}';`])
  : undefined;
const frontUrl = `http://127.0.0.1:${frontPort}/v1/stocks/AAPL/quote`;
const peerUrl = `http://127.0.0.1:${peerPort}/v1/stocks/AAPL/quote`;
const fixedUrl = `http://127.0.0.1:${fixedPort}/`;

/** The gateway's own count of cache results (its /metrics), to show each scenario used the cache as intended. */
async function cacheResults(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const { body } = await request(`${gatewayUrl}/metrics`, asOperator);
  for (const match of body.matchAll(/^gateway_cache_results_total\{[^}]*result="(\w+)"[^}]*\} (\d+)/gm)) {
    const status = match[1] as string;
    counts[status] = (counts[status] ?? 0) + Number(match[2]);
  }
  return counts;
}

interface Run {
  latencies: number[];
  requests: number;
  failed: number;
  seconds: number;
  peakRssBytes: number;
  cpuMs: number;
  mainThreadCpuMs: number;
  /** nginx's own CPU (master and workers) during the run, for the scenarios nginx answers. */
  nginxCpuMs?: number;
  cache: Record<string, number>;
  vendorCalls?: number;
  /** The gateway's collections during the run (BENCH_GC=1). */
  collections?: Collections;
}

interface Collections {
  young: number;
  full: number;
  pauseMs: number;
}

function collectionsSince(before: Collections): Collections {
  return {
    young: collections.young - before.young,
    full: collections.full - before.full,
    pauseMs: collections.pauseMs - before.pauseMs,
  };
}

/**
 * Loads `target`'s URL, timed runs with wrk when the bench uses it, counted ones with autocannon; `nginx`, when nginx
 * answers in front of `target`, has its CPU read too.
 */
async function load(
  target: ChildProcess,
  options: Parameters<typeof autocannon>[0],
  nginx?: ChildProcess,
): Promise<Run> {
  const pid = target.pid as number;
  const cacheBefore = target === gateway ? await cacheResults() : {};
  resetPeakRss(pid);
  const before = processStats(pid);
  const nginxBefore = nginx ? nginxCpuMs(nginx.pid as number) : 0;
  const collectionsBefore = { ...collections };
  const { latencies, requests, failed, seconds } =
    useWrk && options.duration !== undefined
      ? await runWrk({ ...options, connections: options.connections ?? 1, durationS: options.duration })
      : await autocannonRun(options);
  const after = processStats(pid);
  const nginxAfter = nginx ? nginxCpuMs(nginx.pid as number) : 0;
  const cacheAfter = target === gateway ? await cacheResults() : {};
  return {
    latencies,
    requests,
    failed,
    seconds,
    peakRssBytes: after.peakRssBytes,
    cpuMs: after.cpuMs - before.cpuMs,
    mainThreadCpuMs: after.mainThreadCpuMs - before.mainThreadCpuMs,
    ...(nginx ? { nginxCpuMs: nginxAfter - nginxBefore } : {}),
    ...(target === gateway && traceGc ? { collections: collectionsSince(collectionsBefore) } : {}),
    cache: Object.fromEntries(
      Object.entries(cacheAfter).map(([status, count]) => [status, count - (cacheBefore[status] ?? 0)]),
    ),
  };
}

async function autocannonRun(options: Parameters<typeof autocannon>[0]) {
  const latencies: number[] = [];
  const started = performance.now();
  let lastAnswer = started;
  const instance = autocannon({ timeout: 10, ...options });
  instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
    lastAnswer = performance.now();
    if (statusCode < 300) latencies.push(responseTimeMs);
  });
  const result = await instance;
  return {
    latencies,
    requests: result.requests.total,
    failed: result.non2xx + result.errors + result.timeouts,
    // Up to the last answer: autocannon returns only on its next one-second tick.
    seconds: (lastAnswer - started) / 1000,
  };
}

const polygonQuoteUrl = `${polygonUrl}/v2/snapshot/locale/us/markets/stocks/tickers/AAPL`;
const polygonHeaders = { authorization: 'Bearer sandbox-key' };
const noCache = { ...asOperator, 'cache-control': 'no-cache' };

/**
 * An open-loop load at a steady `rate` (requests a second) for `durationS`, paced by this process: each millisecond tick
 * sends the requests due by then, whether or not earlier ones were answered, so a slow server cannot slow the load down.
 * Latency is measured here, from the send to the end of the body.
 */
async function paced(target: ChildProcess, url: string, headers: Record<string, string>): Promise<Run> {
  const pid = target.pid as number;
  const cacheBefore = target === gateway ? await cacheResults() : {};
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  resetPeakRss(pid);
  const before = processStats(pid);
  const collectionsBefore = { ...collections };
  const latencies: number[] = [];
  let failed = 0;
  const send = () =>
    new Promise<void>((resolve) => {
      const sentAt = performance.now();
      const outgoing = http.request(url, { agent, headers }, (response) => {
        response.resume();
        response.on('end', () => {
          if ((response.statusCode ?? 0) < 300) latencies.push(performance.now() - sentAt);
          else failed += 1;
          resolve();
        });
      });
      outgoing.on('error', () => {
        failed += 1;
        resolve();
      });
      outgoing.end();
    });
  const total = Math.round(missRate * durationS);
  const pending: Promise<void>[] = [];
  const started = performance.now();
  while (pending.length < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * missRate) / 1000) + 1);
    while (pending.length < due) pending.push(send());
    await sleep(1);
  }
  await Promise.all(pending);
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const after = processStats(pid);
  const cacheAfter = target === gateway ? await cacheResults() : {};
  return {
    latencies,
    requests: total,
    failed,
    seconds,
    peakRssBytes: after.peakRssBytes,
    cpuMs: after.cpuMs - before.cpuMs,
    mainThreadCpuMs: after.mainThreadCpuMs - before.mainThreadCpuMs,
    ...(target === gateway && traceGc ? { collections: collectionsSince(collectionsBefore) } : {}),
    cache: Object.fromEntries(
      Object.entries(cacheAfter).map(([status, count]) => [status, count - (cacheBefore[status] ?? 0)]),
    ),
  };
}

const polygonRequests = async () => (await askVendors('requests')).requests as number;
let burstRound = 0;
const scenarios = {
  a: {
    name: '(a) bare Fastify',
    connections: 50,
    run: () => load(hello, { url: helloUrl, connections: 50, duration: durationS }),
  },
  b: {
    name: '(b) polygon simulator, direct',
    connections: 1,
    run: () =>
      load(vendors, {
        url: polygonQuoteUrl,
        headers: polygonHeaders,
        connections: 1,
        amount: sequential,
      }),
  },
  c: {
    name: '(c) gateway, cache hit',
    connections: 50,
    run: () =>
      load(gateway, {
        url: `${gatewayUrl}/v1/stocks/AAPL/quote`,
        headers: asClient,
        connections: 50,
        duration: durationS,
      }),
  },
  d: {
    name: '(d) gateway, cache miss → simulator',
    connections: 1,
    run: () =>
      load(gateway, {
        url: `${gatewayUrl}/v1/stocks/AAPL/quote`,
        headers: noCache,
        connections: 1,
        amount: sequential,
      }),
  },
  e: {
    name: `(e) burst of ${burst}, vendor 200 ms`,
    connections: burst,
    run: async () => {
      await askVendors({ fault: { mode: 'slow', delayMs: 200 } });
      const before = await polygonRequests();
      burstRound += 1;
      const run = await load(gateway, {
        url: `${gatewayUrl}/v1/stocks/BURST${burstRound}/quote`,
        headers: asClient,
        connections: burst,
        amount: burst,
      });
      run.vendorCalls = (await polygonRequests()) - before;
      await askVendors({ fault: { mode: 'ok' } });
      return run;
    },
  },
  f: {
    name: '(f) bare Fastify with its request log',
    connections: 50,
    run: () => load(loggedHello, { url: loggedHelloUrl, connections: 50, duration: durationS }),
  },
  g: {
    name: '(g) cache hits through the nginx front',
    connections: 50,
    run: () => load(openGateway!, { url: frontUrl, connections: 50, duration: durationS }, nginxFront!.child),
  },
  h: {
    name: '(h) nginx proxy_cache peer, same gateway',
    connections: 50,
    run: () => load(openGateway!, { url: peerUrl, connections: 50, duration: durationS }, nginxPeer!.child),
  },
  i: {
    name: '(i) polygon simulator, direct',
    connections: missConnections,
    run: () =>
      load(vendors, {
        url: polygonQuoteUrl,
        headers: polygonHeaders,
        connections: missConnections,
        duration: durationS,
      }),
  },
  j: {
    name: '(j) gateway, cache miss → simulator',
    connections: missConnections,
    run: () =>
      load(gateway, {
        url: `${gatewayUrl}/v1/stocks/AAPL/quote`,
        headers: noCache,
        connections: missConnections,
        duration: durationS,
      }),
  },
  k: {
    name: `(k) polygon simulator, direct, ${missRate} req/s`,
    connections: 'open',
    run: () => paced(vendors, polygonQuoteUrl, polygonHeaders),
  },
  l: {
    name: `(l) gateway, cache miss, ${missRate} req/s`,
    connections: 'open',
    run: () => paced(gateway, `${gatewayUrl}/v1/stocks/AAPL/quote`, noCache),
  },
  m: {
    name: '(m) nginx answering a fixed body',
    connections: 50,
    run: () => load(nginxFixed!.child, { url: fixedUrl, connections: 50, duration: durationS }, nginxFixed!.child),
  },
} as const;
type ScenarioName = keyof typeof scenarios;
const chosen = (Object.keys(scenarios) as ScenarioName[]).filter(
  (name) => (!only || only.includes(name)) && (withNginx || !nginxScenarios.includes(name)),
);
// The steady-rate pair runs last, in rounds of its own: a gateway that cannot keep up with the rate times out, its
// breaker opens, and misses are answered stale until it closes again, which must not leak into the other scenarios.
const steady = chosen.filter((name): boolean => name === 'k' || name === 'l');
const order = chosen.filter((name) => !steady.includes(name));

// Warm-up, not recorded: JIT, keep-alive pools, and the cached quote (c) reads.
await request(`${gatewayUrl}/v1/stocks/AAPL/quote`, asClient);
for (const name of order) if (name !== 'e') await scenarios[name].run();

const runs = new Map<ScenarioName, Run[]>(chosen.map((name) => [name, []]));
for (const group of [order, steady]) {
  for (let round = 0; round < rounds; round += 1) {
    for (let index = 0; index < group.length; index += 1) {
      const name = group[(index + round) % group.length] as ScenarioName;
      runs.get(name)?.push(await scenarios[name].run());
    }
  }
}

const exited = (child: ChildProcess) => new Promise((resolve) => child.once('exit', resolve));
// SIGTERM lets the gateway close gracefully, which is also when it writes its CPU profile (BENCH_PROFILE).
const allExited = Promise.all(servers.map(exited));
for (const child of servers) child.kill('SIGTERM');
await Promise.all([allExited, ...[nginxFront, nginxPeer, nginxFixed].map((nginx) => nginx?.stop('SIGTERM'))]);
rmSync(configDir, { recursive: true, force: true });
for (const dir of [frontDir, peerDir, fixedDir]) rmSync(dir, { recursive: true, force: true });

const percentile = (sorted: number[], fraction: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? NaN;
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const summaries = new Map(
  [...runs].map(([name, list]) => {
    const latencies = list.flatMap((run) => run.latencies).sort((x, y) => x - y);
    const requests = sum(list.map((run) => run.requests));
    const cache: Record<string, number> = {};
    for (const run of list) {
      for (const [status, count] of Object.entries(run.cache)) cache[status] = (cache[status] ?? 0) + count;
    }
    return [
      name,
      {
        requests,
        failed: sum(list.map((run) => run.failed)),
        perSecond: requests / sum(list.map((run) => run.seconds)),
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        peakRssMb: Math.max(...list.map((run) => run.peakRssBytes)) / 2 ** 20,
        cpuMicrosPerRequest: (1000 * sum(list.map((run) => run.cpuMs))) / requests,
        mainThreadCpuMicrosPerRequest: (1000 * sum(list.map((run) => run.mainThreadCpuMs))) / requests,
        nginxCpuMicrosPerRequest: list.some((run) => run.nginxCpuMs !== undefined)
          ? (1000 * sum(list.map((run) => run.nginxCpuMs ?? 0))) / requests
          : undefined,
        vendorCalls: sum(list.map((run) => run.vendorCalls ?? 0)),
        collections: list.some((run) => run.collections)
          ? {
              young: sum(list.map((run) => run.collections?.young ?? 0)),
              full: sum(list.map((run) => run.collections?.full ?? 0)),
              pauseMs: sum(list.map((run) => run.collections?.pauseMs ?? 0)),
            }
          : undefined,
        cache,
      },
    ] as const;
  }),
);

const lines = [
  `npm run bench: Node ${process.version}, ${rounds} rounds interleaved, loopback, timed runs by ${loadGenerator}, ` +
    `gateway LOG_LEVEL ${logLevel}, ` +
    `node flags ${gatewayNodeFlags.join(' ') || 'none'}`,
  '',
  '| scenario | conns | requests | failed | req/s | p50 ms | p99 ms | peak RSS MB | CPU µs/req | main thread µs/req | nginx CPU µs/req | cache results |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
];
for (const [name, summary] of summaries) {
  const cache = Object.entries(summary.cache)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${status} ${count}`)
    .join(', ');
  lines.push(
    `| ${scenarios[name].name} | ${scenarios[name].connections} | ${summary.requests} | ${summary.failed} | ` +
      `${Math.round(summary.perSecond)} | ${summary.p50.toFixed(2)} | ${summary.p99.toFixed(2)} | ` +
      `${summary.peakRssMb.toFixed(0)} | ${Math.round(summary.cpuMicrosPerRequest)} | ` +
      `${Math.round(summary.mainThreadCpuMicrosPerRequest)} | ` +
      `${summary.nginxCpuMicrosPerRequest === undefined ? '' : summary.nginxCpuMicrosPerRequest.toFixed(1)} | ${cache} |`,
  );
}
lines.push('');
const [a, b, c, d, e, f, g, h, i, j, k, l, m] = (
  ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm'] as const
).map((name) => summaries.get(name));
if (a && c) {
  lines.push(
    `(c)/(a) throughput: ${((100 * c.perSecond) / a.perSecond).toFixed(0)} % (target ≥ 60 %); ` +
      `(c) p99 ${c.p99.toFixed(2)} ms (target < 10 ms)`,
  );
}
if (a && f) {
  lines.push(`(f)/(a) throughput: ${((100 * f.perSecond) / a.perSecond).toFixed(0)} % (Fastify's own request log)`);
}
if (a && g) {
  lines.push(
    `(g)/(a) throughput: ${(g.perSecond / a.perSecond).toFixed(2)}× (target ≥ 1.4×)` +
      (h
        ? `; (h)/(a) ${(h.perSecond / a.perSecond).toFixed(2)}×; (g)/(h) ${(g.perSecond / h.perSecond).toFixed(2)}×`
        : '') +
      (m ? `; (m)/(a) ${(m.perSecond / a.perSecond).toFixed(2)}×, the ceiling nginx meets here` : ''),
  );
  // Throughput needs a load generator faster than the server; CPU per request does not: what one core of each serves.
  const perCore = (name: string, run: typeof g) =>
    `${name} ${((run.nginxCpuMicrosPerRequest ?? 0) + run.cpuMicrosPerRequest).toFixed(1)} µs ` +
    `(${(a.cpuMicrosPerRequest / ((run.nginxCpuMicrosPerRequest ?? 0) + run.cpuMicrosPerRequest)).toFixed(2)}×)`;
  lines.push(
    `CPU per request, nginx and gateway together, against bare Fastify's ${a.cpuMicrosPerRequest.toFixed(1)} µs ` +
      `(how many more one core serves): ${[perCore('(g)', g), ...(h ? [perCore('(h)', h)] : [])].join(', ')}`,
  );
}
if (b && d) {
  lines.push(
    `(d) − (b): p50 +${(d.p50 - b.p50).toFixed(2)} ms (target < 1 ms), ` +
      `p99 +${(d.p99 - b.p99).toFixed(2)} ms (target < 5 ms)`,
  );
}
if (i && j) {
  lines.push(
    `(j) uncached throughput: ${Math.round(j.perSecond)} req/s at ${missConnections} connections (target ≥ 2 000); ` +
      `(j)/(i) ${((100 * j.perSecond) / i.perSecond).toFixed(0)} % of the simulator's own`,
  );
}
const missRounds = runs.get('j') ?? [];
if (missRounds.length > 1) {
  // One gateway process, round after round: how far a miss's CPU moves with the machine alone.
  const byRound = missRounds.map((run) => Math.round((1000 * run.cpuMs) / run.requests));
  lines.push(`(j) CPU µs a miss, round by round: ${byRound.join(', ')}`);
}
if (k && l) {
  lines.push(
    `(l) − (k) at ${missRate} req/s: p50 +${(l.p50 - k.p50).toFixed(2)} ms (target ≤ 1 ms), ` +
      `p99 +${(l.p99 - k.p99).toFixed(2)} ms; the gateway's CPU ${Math.round(l.cpuMicrosPerRequest)} µs a miss`,
  );
}
if (e) {
  lines.push(
    `(e) vendor calls per client request: ${e.vendorCalls} / ${e.requests} = ${(e.vendorCalls / e.requests).toFixed(4)} ` +
      `(target: 1 call per burst; ${e.requests / burst} bursts)`,
  );
}
for (const [name, summary] of summaries) {
  const tally = summary.collections;
  if (!tally) continue;
  const perThousand = (count: number) => ((1000 * count) / summary.requests).toFixed(1);
  lines.push(
    `${scenarios[name].name}: ${perThousand(tally.young)} young and ${perThousand(tally.full)} full collections per ` +
      `1 000 requests, ${Math.round((1000 * tally.pauseMs) / summary.requests)} µs of pauses per request`,
  );
}
const gatewayPeaks = (['c', 'd', 'e', 'j', 'l'] as const).flatMap((name) => summaries.get(name)?.peakRssMb ?? []);
if (gatewayPeaks.length > 0) {
  lines.push(`peak RSS of the gateway process: ${Math.max(...gatewayPeaks).toFixed(0)} MB (target < 150 MB)`);
}
process.stdout.write(lines.join('\n') + '\n');
