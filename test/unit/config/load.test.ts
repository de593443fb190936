import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { providers } from '../../../providers/index.js';
import { hashClientKey } from '../../../src/config/env-overrides.js';
import { ConfigError, loadConfig, parseConfig, startupRefusal } from '../../../src/config/load.js';

const minimal = (body: string) => `providers:\n${body}`;
const parse = (text: string, env: Record<string, string> = {}) => parseConfig(text, { adapters: providers, env });

function problemsOf(text: string, env: Record<string, string> = {}): string[] {
  try {
    parse(text, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('loads config/gateway.yaml with every vendor and its tier', () => {
    const config = loadConfig({ adapters: providers, env: {} });
    const tiers = Object.fromEntries(Object.entries(config.providers).map(([name, provider]) => [name, provider.tier]));
    expect(tiers).toEqual({
      polygon: 1,
      finnhub: 2,
      marketstack: 3,
      twelvedata: 2,
      coingecko: 1,
      coinapi: 2,
      cryptocompare: 2,
      newsapi: 3,
      gnews: 2,
      mediastack: 3,
      marketaux: 3,
    });
    expect(config.routing).toMatchObject({
      strategy: 'health-based',
      strategyByCapability: { 'news-latest': 'cost' },
      deadlineMs: 3000,
      watchlistConcurrency: 8,
      hedging: { enabled: true, minAfterMs: 150, maxAfterMs: 1000 },
    });
    expect(config.providers.polygon?.rateLimit).toMatchObject({ perMinute: 5 });
    expect(config.providers.polygon?.apiKey).toBeUndefined();
  });

  it('reads GATEWAY_CONFIG', () => {
    const directory = mkdtempSync(join(tmpdir(), 'gateway-config-'));
    const path = join(directory, 'other.yaml');
    writeFileSync(path, minimal('  polygon: { tier: 7 }\n'));
    expect(loadConfig({ adapters: providers, env: { GATEWAY_CONFIG: path } }).providers.polygon?.tier).toBe(7);
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadConfig({ adapters: providers, env: { GATEWAY_CONFIG: '/nonexistent/gateway.yaml' } })).toThrow(
      /\/nonexistent\/gateway\.yaml[^]*cannot read the file \(ENOENT\)/,
    );
  });
});

describe('parseConfig', () => {
  it('fills defaults for everything but the tier', () => {
    const config = parse(minimal('  finnhub: { tier: 2 }\n'));
    expect(config.server).toEqual({
      host: '0.0.0.0',
      port: 8080,
      logLevel: 'info',
      clientRateLimit: { enabled: true, max: 1200, windowMs: 60000 },
      cors: { origins: [], maxAgeSeconds: 600 },
      underPressure: { maxEventLoopDelayMs: 1000, retryAfterSeconds: 10, sampleIntervalMs: 1000 },
      requestTimeoutMs: 30000,
      headersTimeoutMs: 10000,
      keepAliveTimeoutMs: 72000,
      connectionTimeoutMs: 60000,
      bodyLimitBytes: 8192,
      maxParamLength: 64,
      maxHeaderBytes: 8192,
      trustProxy: false,
      shutdown: { graceMs: 5000, timeoutMs: 10000, webhookDrainMs: 3000 },
    });
    expect(config.providers.finnhub).toMatchObject({
      enabled: true,
      weight: 1,
      timeoutMs: 2000,
      maxConnections: 16,
      costPerCall: 0,
      rateLimit: { maxConcurrent: 8, maxQueue: 20 },
      breaker: { volumeThreshold: 10, errorThresholdPercentage: 50, rollingWindowMs: 10000, resetTimeoutMs: 15000 },
    });
  });

  it('reads server.trustProxy from the environment: a flag, or addresses and CIDRs separated by commas', () => {
    const text = 'server:\n  trustProxy: ${TRUST_PROXY:-false}\n' + minimal('  polygon: { tier: 1 }\n');
    expect(parse(text, {}).server.trustProxy).toBe(false);
    expect(parse(text, { TRUST_PROXY: 'true' }).server.trustProxy).toBe(true);
    expect(parse(text, { TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).server.trustProxy).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
    ]);
  });

  it('refuses a webhook drain as long as the whole shutdown timeout', () => {
    const text =
      'server:\n  shutdown: { timeoutMs: 3000, webhookDrainMs: 3000 }\n' + minimal('  polygon: { tier: 1 }\n');
    expect(() => parse(text)).toThrow(/server\.shutdown\.webhookDrainMs[^]*below server\.shutdown\.timeoutMs/);
  });

  it('interpolates ${VAR} and ${VAR:-default}, typing numbers from strings', () => {
    const text =
      'server:\n  port: ${PORT:-9000}\n  host: ${HOST}\n' +
      minimal('  polygon:\n    tier: ${TIER:-1}\n    apiKey: ${KEY:-}\n');
    const config = parse(text, { HOST: '127.0.0.1', TIER: '4' });
    expect(config.server.port).toBe(9000);
    expect(config.server.host).toBe('127.0.0.1');
    expect(config.providers.polygon?.tier).toBe(4);
    expect(config.providers.polygon?.apiKey).toBeUndefined();
  });

  it('keeps a literal ${ written as $${', () => {
    const config = parse(minimal('  polygon: { tier: 1, apiKey: "a$${b}" }\n'));
    expect(config.providers.polygon?.apiKey).toBe('a${b}');
  });

  it('lets NAME_API_KEY and NAME_BASE_URL win over the file', () => {
    const text = minimal('  polygon: { tier: 1, apiKey: from-file, baseUrl: "https://file.example" }\n');
    const config = parse(text, { POLYGON_API_KEY: 'from-env', POLYGON_BASE_URL: 'http://127.0.0.1:9999' });
    expect(config.providers.polygon).toMatchObject({ apiKey: 'from-env', baseUrl: 'http://127.0.0.1:9999' });
  });

  it.each([
    [minimal('  polygon: { tier: 0 }\n'), 'providers.polygon.tier: Too small: expected number to be >=1'],
    [minimal('  polygon: { tier: one }\n'), 'providers.polygon.tier: Invalid input: expected number, received string'],
    [minimal('  polygon: {}\n'), 'providers.polygon.tier: Invalid input: expected number, received undefined'],
    [
      minimal('  polygon: { tier: 1, timeoutMs: 10 }\n'),
      'providers.polygon.timeoutMs: Too small: expected number to be >=50',
    ],
    [minimal('  polygon: { tier: 1, teir: 2 }\n'), 'providers.polygon: Unrecognized key: "teir"'],
    [minimal('  polygon: { tier: 1, baseUrl: "ftp://x" }\n'), 'providers.polygon.baseUrl: Invalid URL'],
    [
      minimal('  polygon: { tier: 1, rateLimit: { perMinute: -5 } }\n'),
      'providers.polygon.rateLimit.perMinute: Too small: expected number to be >=1',
    ],
    [
      'routing: { strategy: fastest }\n' + minimal('  polygon: { tier: 1 }\n'),
      'routing.strategy: Invalid option: expected one of "health-based"|"priority"|',
    ],
    [
      'store: { redisUrl: "redis+sentinel://10.0.0.1:26379" }\n' + minimal('  polygon: { tier: 1 }\n'),
      'store.redisUrl: expected redis://, rediss://, redis+sentinel://host:26379/<master>',
    ],
    [
      'alerts: { webhooks: [{ url: "ftp://x", events: [failover] }] }\n' + minimal('  polygon: { tier: 1 }\n'),
      'alerts.webhooks.0.url: Invalid URL',
    ],
    [
      minimal('  polygon: { tier: 1, capabilities: [forex-rate, news-search] }\n'),
      'providers.polygon.capabilities: "news-search" is not declared by the polygon adapter',
    ],
  ])('rejects %j naming the key path', (text, expected) => {
    expect(problemsOf(text).join('\n')).toContain(expected);
  });

  it('names a missing environment variable and where it is used', () => {
    expect(problemsOf(minimal('  polygon:\n    tier: 1\n    apiKey: ${POLYGON_KEY}\n'))).toEqual([
      'providers.polygon.apiKey: environment variable POLYGON_KEY is not set and has no default (write ${POLYGON_KEY:-} for empty)',
    ]);
  });

  it('reports invalid YAML with its line', () => {
    expect(problemsOf('providers:\n  polygon: { tier: 1\n')[0]).toMatch(/^not valid YAML at line \d+/);
  });

  it('narrows capabilities to a declared subset', () => {
    const config = parse(minimal('  polygon: { tier: 1, capabilities: [stock-quote] }\n'));
    expect(config.providers.polygon?.capabilities).toEqual(['stock-quote']);
  });
});

describe('client keys', () => {
  it('adds GATEWAY_API_KEYS as data keys and GATEWAY_ADMIN_KEY as an operator key, hashed, never as given', () => {
    const config = parse(minimal('  polygon: { tier: 1 }\n'), {
      GATEWAY_API_KEYS: ' first-key , second-key ',
      GATEWAY_ADMIN_KEY: 'the-admin-key',
    });
    expect(config.auth.keys).toEqual([
      { name: 'env-1', sha256: hashClientKey('first-key'), scopes: ['data'] },
      { name: 'env-2', sha256: hashClientKey('second-key'), scopes: ['data'] },
      { name: 'admin', sha256: hashClientKey('the-admin-key'), scopes: ['data', 'operator'] },
    ]);
    expect(JSON.stringify(config)).not.toMatch(/first-key|second-key|the-admin-key/);
  });

  it('names a key entry that is not a SHA-256, and an unknown scope', () => {
    const problems = problemsOf(
      'auth:\n  keys: [{ name: web, sha256: not-a-hash, scopes: [everything] }]\n' +
        minimal('  polygon: { tier: 1 }\n'),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^auth\.keys\.0\.sha256: must be the hex SHA-256 of the key/),
      expect.stringMatching(/^auth\.keys\.0\.scopes\.0: /),
    ]);
  });

  it('refuses to start in keys mode with no key, unless Redis may hold issued keys; open mode starts', () => {
    const keysMode = parse(minimal('  polygon: { tier: 1 }\n'));
    expect(keysMode.auth.mode).toBe('keys');
    expect(startupRefusal(keysMode)).toMatch(/^no client API keys: set GATEWAY_API_KEYS/);
    expect(startupRefusal(parse(minimal('  polygon: { tier: 1 }\n'), { GATEWAY_API_KEYS: 'k' }))).toBeNull();
    expect(startupRefusal(parse('auth: { mode: open }\n' + minimal('  polygon: { tier: 1 }\n')))).toBeNull();
    expect(
      startupRefusal(parse('store: { redisUrl: "redis://127.0.0.1:1" }\n' + minimal('  polygon: { tier: 1 }\n'))),
    ).toBeNull();
  });
});

describe('the server process', () => {
  it('exits 1 with a message naming the key when the configuration is invalid', () => {
    const directory = mkdtempSync(join(tmpdir(), 'gateway-config-'));
    const path = join(directory, 'bad.yaml');
    writeFileSync(path, minimal('  polygon: { tier: -1 }\n'));
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { ...process.env, GATEWAY_CONFIG: path },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('providers.polygon.tier');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 telling how to add a key when keys mode has none', () => {
    const directory = mkdtempSync(join(tmpdir(), 'gateway-config-'));
    const path = join(directory, 'keyless.yaml');
    writeFileSync(path, minimal('  polygon: { tier: 1 }\n'));
    const env: NodeJS.ProcessEnv = { ...process.env, GATEWAY_CONFIG: path };
    delete env.GATEWAY_API_KEYS;
    delete env.GATEWAY_ADMIN_KEY;
    delete env.REDIS_URL;
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no client API keys: set GATEWAY_API_KEYS');
  });
});
