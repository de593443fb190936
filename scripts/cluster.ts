import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../sandbox/start.js';
import { freePort } from './free-port.js';
import {
  nginxAvailable,
  startGateway,
  startNginx,
  startedTogether,
  startRedisServer,
  type RunningProcess,
} from './cluster-topology.js';

/**
 * `npm run cluster`: compose.yaml's topology on one machine without Docker, all on 127.0.0.1: a redis-server, N
 * gateway processes (CLUSTER_INSTANCES, default 3) sharing it, and the nginx binary in front with deploy/nginx.conf
 * (listening on PORT, default 8080). The gateways run config/gateway.yaml (or GATEWAY_CONFIG) on the built-in vendor
 * simulators, in open mode, as `npm run demo` does, trusting X-Forwarded-For from nginx. Ctrl-C stops everything:
 * the gateways drain first (docs/operations.md#graceful-shutdown), then nginx, Redis and the simulators.
 */
const instances = Number(process.env.CLUSTER_INSTANCES ?? 3);
const port = Number(process.env.PORT ?? 8080);
if (!nginxAvailable) {
  process.stderr.write('npm run cluster needs the nginx binary (Debian: apt-get install -y nginx-light)\n');
  process.exit(1);
}

/** A start that failed: what did start is stopped (it runs in process groups of its own), then the error. */
async function abandon(error: unknown): Promise<never> {
  await redis.stop('SIGKILL');
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
  throw error;
}

const dir = mkdtempSync(join(tmpdir(), 'mdg-cluster-'));
const sandbox = await startSandbox();
const redisPort = await freePort();
const redis = await startRedisServer(redisPort);
const gateways = await startedTogether(
  Array.from({ length: instances }, () =>
    startGateway({
      ...sandbox.env,
      GATEWAY_AUTH_MODE: 'open',
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      TRUST_PROXY: '127.0.0.1',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    }),
  ),
).catch(abandon);
const nginx = await startNginx(
  { port, dir },
  gateways.map((gateway) => gateway.port),
).catch(async (error: unknown) => {
  await Promise.all(gateways.map((gateway) => gateway.stop('SIGKILL')));
  return abandon(error);
});
const base = `http://127.0.0.1:${port}`;
process.stdout.write(`
market-data-gateway cluster on ${base}: nginx (deploy/nginx.conf) in front of ${instances} gateways sharing Redis
on 127.0.0.1:${redisPort}, over simulated vendors, in open mode (no key; loopback only).
Gateways: ${gateways.map((gateway) => gateway.url).join('  ')}
Try:
  curl -i ${base}/v1/stocks/AAPL/quote          # X-Cache-Front: MISS, then HIT while the answer is fresh
  curl ${base}/v1/instances                      # the instances the gateways see
  kill -TERM <gateway pid>                       # a drain: /ready 503, then the listener closes; nginx moves on
Gateway pids: ${gateways.map((gateway) => gateway.child.pid).join(' ')}
Ctrl-C stops everything.
`);

let stopping = false;
const all: RunningProcess[] = [...gateways, nginx, redis];
for (const running of all) {
  void running.exited.then((code) => {
    if (!stopping) process.stderr.write(`cluster: process ${running.child.pid} exited (${code}) \n${running.output()}`);
  });
}
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stdout.write('stopping: gateways drain first\n');
  const codes = await Promise.all(gateways.map((gateway) => gateway.stop('SIGTERM')));
  await nginx.stop('SIGQUIT');
  await redis.stop('SIGTERM');
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`gateways exited with ${codes.join(', ')}\n`);
  process.exit(codes.every((code) => code === 0) ? 0 : 1);
}
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
