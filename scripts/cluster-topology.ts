import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.js';

/**
 * The pieces of `npm run cluster` (scripts/cluster.ts), also used by the tests and the bench that put nginx in front of
 * several gateway processes: gateway processes, and the nginx binary running deploy/nginx.conf rewritten for loopback.
 */

export const nginxConfPath = 'deploy/nginx.conf';

/** Whether an nginx binary is on PATH; tests that need one skip, loudly, when it is not. */
export const nginxAvailable = spawnSync('nginx', ['-v'], { stdio: 'ignore' }).status === 0;

export interface LoopbackNginx {
  /** The loopback port nginx listens on. */
  port: number;
  /** Where its cache, temporary files and pid live. */
  dir: string;
}

/**
 * deploy/nginx.conf for one machine: nginx listens on 127.0.0.1:port, the upstream servers are the given loopback
 * ports (with the file's own max_fails and fail_timeout), and the cache and temporary files live under `dir`. Every
 * other line is the file's own. Throws when a line it rewrites is no longer in the file, so the two cannot drift apart.
 */
export function renderNginxConf(template: string, nginx: LoopbackNginx, upstreamPorts: readonly number[]): string {
  const rewrite = (text: string, pattern: RegExp, replace: (match: string, ...groups: string[]) => string) => {
    if (!pattern.test(text)) throw new Error(`${nginxConfPath} no longer has a line like ${pattern}`);
    return text.replace(pattern, replace);
  };
  let conf = rewrite(template, /^(\s*)listen 8080;$/m, (_line, indent) => `${indent}listen 127.0.0.1:${nginx.port};`);
  conf = rewrite(
    conf,
    /^(\s*)server gateway-1:8080( [^;]*);\n(?:\s*server gateway-\d+:8080[^;]*;\n)*/m,
    (_m, indent, params) => upstreamPorts.map((port) => `${indent}server 127.0.0.1:${port}${params};\n`).join(''),
  );
  conf = rewrite(conf, /\/var\/cache\/nginx\/mdg/, () => join(nginx.dir, 'cache'));
  return rewrite(conf, /^http \{$/m, () => `http {\n${tempPathDirectives(nginx.dir)}`);
}

/** Debian's nginx keeps temporary files under /var/lib/nginx by default: a loopback run keeps its own, in `dir`. */
export function tempPathDirectives(dir: string): string {
  return ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `  ${kind}_temp_path ${join(dir, `${kind}_temp`)};`)
    .join('\n');
}

export interface RunningProcess {
  child: ChildProcess;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** Everything it wrote to stderr (and stdout for gateways), for a test's failure message. */
  output(): string;
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

function track(child: ChildProcess): RunningProcess {
  const chunks: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => chunks.join(''),
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** nginx in the foreground with deploy/nginx.conf rendered for loopback; answers once its port accepts. */
export function startNginx(nginx: LoopbackNginx, upstreamPorts: readonly number[]): Promise<RunningProcess> {
  return runNginx(nginx, renderNginxConf(readFileSync(nginxConfPath, 'utf8'), nginx, upstreamPorts));
}

/**
 * nginx in the foreground with the configuration `conf`, its files under `nginx.dir`; answers once its port accepts.
 * Started as root, its workers run as an unprivileged user: `dir` is opened to them, and its parents must let them in
 * (a directory straight from mkdtemp is fine; one inside another mkdtemp directory is not).
 */
export async function runNginx(nginx: LoopbackNginx, conf: string): Promise<RunningProcess> {
  mkdirSync(nginx.dir, { recursive: true });
  // Workers run as an unprivileged user when nginx starts as root: they must reach the cache under `dir`.
  chmodSync(nginx.dir, 0o755);
  const confPath = join(nginx.dir, 'nginx.conf');
  writeFileSync(confPath, conf);
  const child = spawn(
    'nginx',
    ['-p', nginx.dir, '-c', confPath, '-e', 'stderr', '-g', `daemon off; pid ${join(nginx.dir, 'nginx.pid')};`],
    // Its own process group: a Ctrl-C in the terminal reaches only `npm run cluster`, which stops it in order.
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const running = track(child);
  await untilAnswering(`http://127.0.0.1:${nginx.port}/`, running, () => true);
  return running;
}

export interface GatewayProcess extends RunningProcess {
  port: number;
  url: string;
}

/**
 * One gateway, `node --import tsx src/server.ts` (no build needed), on a loopback port, with `env` on top of this
 * process's environment (GATEWAY_CONFIG, vendor base URLs…); answers once /health does.
 */
export async function startGateway(env: Record<string, string>, port?: number): Promise<GatewayProcess> {
  const listenPort = port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: one signal from the terminal would reach it twice (SIGINT, then the cluster's SIGTERM),
    // and a second signal ends a graceful shutdown at once.
    detached: true,
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(listenPort) },
  });
  const running = track(child);
  const url = `http://127.0.0.1:${listenPort}`;
  await untilAnswering(`${url}/health`, running, (status) => status === 200);
  return { ...running, port: listenPort, url };
}

/**
 * Waits for processes starting together; when one fails, kills those that did start (they run in process groups of
 * their own, so nothing else would) and throws its error.
 */
export async function startedTogether<P extends RunningProcess>(starting: readonly Promise<P>[]): Promise<P[]> {
  const outcomes = await Promise.allSettled(starting);
  const started = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (!failed) return started;
  await Promise.all(started.map((running) => running.stop('SIGKILL')));
  throw failed.reason;
}

/** A private redis-server on a loopback port, no persistence. */
export async function startRedisServer(port: number): Promise<RunningProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const running = track(child);
  const deadline = Date.now() + 10_000;
  while (!running.output().includes('Ready to accept connections')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await running.stop('SIGKILL');
      throw new Error(`redis-server on port ${port} did not start\n${running.output()}`);
    }
    await sleep(25);
  }
  return running;
}

async function untilAnswering(url: string, running: RunningProcess, ok: (status: number) => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (running.child.exitCode !== null) throw new Error(`${url}: the process exited\n${running.output()}`);
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status !== 0 && ok(status)) return;
    await sleep(50);
  }
  await running.stop('SIGKILL');
  throw new Error(`${url} did not answer within 20 s\n${running.output()}`);
}
