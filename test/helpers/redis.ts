import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from '../../scripts/free-port.js';

/** Whether a redis-server binary is on PATH; tests that need one skip, loudly, when it is not. */
export const redisServerAvailable = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

if (!redisServerAvailable) {
  process.stderr.write(
    '\n*** redis-server not found: the real-Redis tests are SKIPPED. Install it (Debian: apt-get install -y ' +
      'redis-server) to run them; .ci/run does. ***\n\n',
  );
}

export interface TestRedis {
  url: string;
  port: number;
  /** SIGKILL: an outage, as a crash would cause it. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: no persistence). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function waitUntilAnswering(port: number): Promise<void> {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    for (let i = 0; i < 200; i += 1) {
      try {
        if (client.status !== 'ready') await client.connect();
        if ((await client.ping()) === 'PONG') return;
      } catch {
        await sleep(25);
      }
    }
    throw new Error(`redis-server on port ${port} did not answer`);
  } finally {
    client.disconnect();
  }
}

/** A private redis-server on a free loopback port, no persistence, stopped by the caller. */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'],
      { stdio: 'ignore' },
    );
    await waitUntilAnswering(port);
  };
  const exit = async (signal: NodeJS.Signals) => {
    const current = child;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise((resolve) => current.once('exit', resolve));
    current.kill(signal);
    await exited;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill: () => exit('SIGKILL'),
    restart: launch,
    stop: () => exit('SIGTERM'),
  };
}

/**
 * A private redis-server for the tests of the describe block that calls this: started before them, stopped after. Its
 * fields are read when a test runs, not when the block is collected.
 */
export function useRedisServer(): TestRedis {
  let redis: TestRedis | undefined;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => redis?.stop());
  const started = (): TestRedis => {
    if (!redis) throw new Error('the redis-server of this block is not started yet');
    return redis;
  };
  return {
    get url() {
      return started().url;
    },
    get port() {
      return started().port;
    },
    kill: () => started().kill(),
    restart: () => started().restart(),
    stop: () => started().stop(),
  };
}
