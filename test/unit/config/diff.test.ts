import { describe, expect, it } from 'vitest';
import { providers } from '../../../providers/index.js';
import { diffConfigs, isRestartOnly, withRestartOnlyFrom } from '../../../src/config/diff.js';
import { parseConfig } from '../../../src/config/load.js';

const base = `
server: { port: 8080 }
routing: { strategy: priority }
cache: { maxEntries: 1000, ttlMs: { stock-quote: 5000 } }
providers:
  polygon: { tier: 1, apiKey: polygon-secret-1, rateLimit: { perMinute: 5 } }
  finnhub: { tier: 2, apiKey: finnhub-secret }
`;
const parse = (text: string) => parseConfig(text, { adapters: providers, env: {} });

describe('diffConfigs', () => {
  it('finds nothing between two loads of the same file', () => {
    expect(diffConfigs(parse(base), parse(base))).toEqual({ applied: [], needsRestart: [] });
  });

  it('lists changed leaf paths, split into applied and needing a restart', () => {
    const next = base
      .replace('strategy: priority', 'strategy: round-robin')
      .replace('port: 8080', 'port: 9090')
      .replace('maxEntries: 1000', 'maxEntries: 2000')
      .replace('stock-quote: 5000', 'stock-quote: 1000')
      .replace('perMinute: 5', 'perMinute: 6');
    expect(diffConfigs(parse(base), parse(next))).toEqual({
      applied: ['cache.ttlMs.stock-quote', 'providers.polygon.rateLimit.perMinute', 'routing.strategy'],
      needsRestart: ['cache.maxEntries', 'server.port'],
    });
  });

  it('names a vendor added and one removed by their block', () => {
    const next = base.replace(/ {2}finnhub:.*\n/, '  twelvedata: { tier: 2, apiKey: td }\n');
    expect(diffConfigs(parse(base), parse(next)).applied).toEqual(['providers.finnhub', 'providers.twelvedata']);
  });

  it('reports a changed key by its path, never its value', () => {
    const diff = diffConfigs(parse(base), parse(base.replace('polygon-secret-1', 'polygon-secret-2')));
    expect(diff.applied).toEqual(['providers.polygon.apiKey']);
    expect(JSON.stringify(diff)).not.toMatch(/secret/);
  });

  it('treats a list as one value, its order included', () => {
    const withCapabilities = (list: string) => base.replace('tier: 2,', `tier: 2, capabilities: [${list}],`);
    const diff = diffConfigs(parse(withCapabilities('stock-quote, forex-rate')), parse(withCapabilities('forex-rate')));
    expect(diff.applied).toEqual(['providers.finnhub.capabilities']);
  });
});

describe('restart-only paths', () => {
  it('covers the listener, store, auth and cache size, not routing, vendors or freshness', () => {
    for (const path of ['server.port', 'server.host', 'store.redisUrl', 'auth.keys', 'reload.watch', 'cache.maxBytes'])
      expect(isRestartOnly(path), path).toBe(true);
    for (const path of ['routing.strategy', 'providers.polygon.breaker.resetTimeoutMs', 'cache.ttlMs.stock-quote'])
      expect(isRestartOnly(path), path).toBe(false);
    // A prefix match is by whole segment: a key that merely starts like a restart-only one is not one.
    expect(isRestartOnly('serverless')).toBe(false);
  });

  it('keeps the running values of restart-only paths and takes every other one', () => {
    const running = parse(base);
    const next = parse(base.replace('port: 8080', 'port: 9090').replace('strategy: priority', 'strategy: cost'));
    const effective = withRestartOnlyFrom(running, next);
    expect(effective.server.port).toBe(8080);
    expect(effective.routing.strategy).toBe('cost');
    // So the next reload of the same file still says the port waits for a restart.
    expect(diffConfigs(effective, next)).toEqual({ applied: [], needsRestart: ['server.port'] });
  });
});
