import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { onTestFinished } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { z } from 'zod';
import { providers } from '../../providers/index.js';
import { buildApp } from '../../src/app.js';
import { defaultConfigPath, loadConfig } from '../../src/config/load.js';
import type { gatewayConfigSchema } from '../../src/config/schema.js';
import type { RunningSimulator } from '../../sandbox/simulator.js';
import { startSandbox, type Sandbox } from '../../sandbox/start.js';

/** The configuration file as YAML holds it, before interpolation and defaults. */
export type ConfigFile = z.input<typeof gatewayConfigSchema> & {
  providers: Record<string, NonNullable<z.input<typeof gatewayConfigSchema>['providers'][string]>>;
};

/**
 * config/gateway.yaml with what test/helpers/build-app.ts sets in memory, in the file itself so a reload reads it
 * again: quotas raised, the priority strategy, no probes, one news vendor, no cache, open auth, no file watch.
 */
export function testConfigFile(edit: (file: ConfigFile) => void = () => {}): ConfigFile {
  const file = parseYaml(readFileSync(defaultConfigPath, 'utf8')) as ConfigFile;
  for (const provider of Object.values(file.providers)) provider.rateLimit = { maxConcurrent: 50, maxQueue: 100 };
  file.routing = { ...file.routing, strategy: 'priority', healthChecks: false, newsSources: 1 };
  file.cache = { ...file.cache, enabled: false };
  file.auth = { ...file.auth, mode: 'open', spendPerWindow: 0 };
  file.reload = { watch: false };
  edit(file);
  return file;
}

/** One vendor's block of the file, to edit in place. */
export function vendorBlock(file: ConfigFile, vendor: string): ConfigFile['providers'][string] {
  const block = file.providers[vendor];
  if (!block) throw new Error(`no providers.${vendor} block`);
  return block;
}

export interface ReloadableGateway {
  app: FastifyInstance;
  sandbox: Sandbox;
  /** The configuration file the gateway was started from and reloads. */
  path: string;
  /** http://127.0.0.1:<port> of the listening gateway. */
  url: string;
  /** Writes the file: the test configuration with `edit` applied. */
  write(edit?: (file: ConfigFile) => void): void;
  simulator(vendor: string): RunningSimulator;
  logs(): string;
}

/** A listening gateway started from a configuration file (so it can reload it) over the built-in simulators. */
export async function buildReloadableGateway(edit?: (file: ConfigFile) => void): Promise<ReloadableGateway> {
  const sandbox = await startSandbox();
  const directory = mkdtempSync(join(tmpdir(), 'mdg-reload-'));
  const path = join(directory, 'gateway.yaml');
  const write = (next?: (file: ConfigFile) => void) => writeFileSync(path, stringifyYaml(testConfigFile(next)));
  write(edit);
  const env = { ...sandbox.env, LOG_LEVEL: 'info' };
  const load = () => loadConfig({ path, env, adapters: providers });
  const chunks: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const app = await buildApp({ config: load(), configFile: { path, load }, logStream });
  onTestFinished(async () => {
    await app.close();
    await sandbox.close();
    rmSync(directory, { recursive: true, force: true });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  return {
    app,
    sandbox,
    path,
    url: `http://127.0.0.1:${port}`,
    write,
    simulator: (vendor) => {
      const found = sandbox.simulators.find((simulator) => simulator.vendor === vendor);
      if (!found) throw new Error(`no simulator for ${vendor}`);
      return found;
    },
    logs: () => chunks.join(''),
  };
}

export interface GatewayProcess {
  url: string;
  /** Resolves with the first stdout line that contains `text`. */
  line(text: string): Promise<string>;
  signal(name: NodeJS.Signals): void;
}

/**
 * `npm start`'s entry point (src/server.ts through tsx) as a child process, started from `path` with the simulators'
 * environment; stopped with SIGTERM after the test.
 */
export async function startGatewayProcess(path: string, sandbox: Sandbox): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, ...sandbox.env, GATEWAY_CONFIG: path, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  onTestFinished(async () => {
    child.kill('SIGTERM');
    await exited;
  });
  const lines = createInterface({ input: child.stdout });
  const waiting: { text: string; resolve: (line: string) => void }[] = [];
  lines.on('line', (line) => {
    for (const waiter of waiting.filter((entry) => line.includes(entry.text))) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  const line = (text: string) => new Promise<string>((resolve) => waiting.push({ text, resolve }));
  const listening = await line('Server listening at http://127.0.0.1:');
  const url = /http:\/\/127\.0\.0\.1:\d+/.exec(listening)?.[0];
  if (!url) throw new Error(`no address in ${listening}`);
  return { url, line, signal: (name) => child.kill(name) };
}

export interface LoadResult {
  status: number;
  provider: string | null;
  startedAt: number;
}

/**
 * `total` stock-quote requests from `concurrency` keep-alive clients, each one after the other; `during` runs once
 * `after` of them have been answered, while the rest keep coming.
 */
export async function quoteLoad(
  url: string,
  options: { total: number; concurrency: number; after: number; during: () => Promise<void> },
): Promise<{ results: LoadResult[]; duringEndedAt: number }> {
  const results: LoadResult[] = [];
  let sent = 0;
  let duringEndedAt = Number.POSITIVE_INFINITY;
  let midpoint: Promise<void> | undefined;
  const client = async () => {
    while (sent < options.total) {
      sent += 1;
      const startedAt = performance.now();
      const response = await fetch(`${url}/v1/stocks/AAPL/quote`);
      await response.arrayBuffer();
      results.push({ status: response.status, provider: response.headers.get('x-provider'), startedAt });
      if (results.length === options.after) {
        midpoint = options.during().then(() => {
          duringEndedAt = performance.now();
        });
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  await midpoint;
  return { results, duringEndedAt };
}
