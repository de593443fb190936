import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type { RouterEvents } from '../../src/core/events.js';
import { breakerState } from '../../src/resilience/breaker.js';
import type { VendorRuntime } from '../../src/vendors/registry.js';
import {
  buildReloadableGateway,
  quoteLoad,
  startGatewayProcess,
  vendorBlock,
  type ConfigFile,
  type ReloadableGateway,
} from '../helpers/reload.js';
import { openSse } from '../helpers/sse.js';

async function reload(gateway: ReloadableGateway) {
  const response = await fetch(`${gateway.url}/admin/reload`, { method: 'POST' });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function runtime(gateway: ReloadableGateway, vendor: string): VendorRuntime {
  const found = gateway.app.router.registry.find(vendor)?.runtime;
  if (!found) throw new Error(`${vendor} is not enabled`);
  return found;
}

async function quote(gateway: ReloadableGateway, query = '') {
  const response = await fetch(`${gateway.url}/v1/stocks/AAPL/quote${query}`);
  return { status: response.status, provider: response.headers.get('x-provider'), body: await response.text() };
}

async function providerStatus(gateway: ReloadableGateway, vendor: string) {
  const response = await fetch(`${gateway.url}/v1/providers/${vendor}/health`);
  return ((await response.json()) as { data: { provider: Record<string, unknown> } }).data.provider;
}

function nextEvent<E extends 'configReloaded' | 'configRejected'>(
  gateway: ReloadableGateway,
  name: E,
): Promise<RouterEvents[E]> {
  return new Promise((resolve) => {
    const stop = gateway.app.router.events.on(name, (payload) => {
      stop();
      resolve(payload);
    });
  });
}

describe('POST /admin/reload', () => {
  it('switches the routing strategy under load with no failed request', async () => {
    const gateway = await buildReloadableGateway();
    let applied: unknown;
    const { results, duringEndedAt } = await quoteLoad(gateway.url, {
      total: 160,
      concurrency: 8,
      after: 40,
      during: async () => {
        gateway.write((file) => (file.routing = { ...file.routing, strategy: 'round-robin' }));
        applied = (await reload(gateway)).body;
      },
    });
    expect(applied).toEqual({ data: { applied: ['routing.strategy'], needsRestart: [] } });
    expect(results.filter((result) => result.status !== 200)).toEqual([]);
    const share = (providers: (string | null)[]) =>
      providers.filter((name) => name === 'polygon').length / providers.length;
    const before = results.slice(0, 40).map((result) => result.provider);
    const after = results.filter((result) => result.startedAt > duringEndedAt).map((result) => result.provider);
    // priority: polygon (tier 1) answers, but for a hedge now and then; round-robin: each stock-quote vendor in turn.
    expect(share(before)).toBeGreaterThan(0.9);
    expect(after.length).toBeGreaterThan(30);
    expect(new Set(after)).toEqual(new Set(['polygon', 'finnhub', 'twelvedata', 'marketstack']));
    expect(share(after)).toBeLessThan(0.4);
  });

  it('rejects an invalid file with 422 naming the key; the running configuration stays, and the event and log say why', async () => {
    const gateway = await buildReloadableGateway();
    const stream = await openSse(`${gateway.url}/v1/events?events=configRejected`);
    onTestFinished(() => stream.close());
    const routerBefore = gateway.app.router;
    gateway.write((file) => {
      file.routing = { ...file.routing, strategy: 'round-robin' };
      vendorBlock(file, 'polygon').tier = 0;
    });

    const { status, body } = await reload(gateway);
    expect(status).toBe(422);
    expect(body).toMatchObject({
      type: 'urn:market-data-gateway:problem:config-invalid',
      status: 422,
      detail: expect.stringContaining('providers.polygon.tier'),
      errors: [{ in: 'config', field: 'providers.polygon.tier', message: expect.any(String) }],
    });
    expect(gateway.app.router).toBe(routerBefore);
    expect((await quote(gateway)).provider).toBe('polygon');

    const event = JSON.parse((await stream.next((message) => message.event === 'configRejected')).data ?? '{}');
    expect(event.payload).toEqual({ trigger: 'api', problems: [expect.stringMatching(/^providers\.polygon\.tier: /)] });
    const line = gateway
      .logs()
      .split('\n')
      .find((entry) => entry.includes('"event":"configRejected"'));
    expect(line).toMatch(/"level":50/);
    expect(line).toMatch(/the running configuration stays: providers\.polygon\.tier/);
    // The sandbox's vendor key is in the file's environment: no reload output may carry it.
    expect(JSON.stringify(body) + JSON.stringify(event) + line).not.toContain('sandbox-key');
  });

  it('adds a vendor and removes one: the removed one is closed, requests go to the added one', async () => {
    const gateway = await buildReloadableGateway((file) => delete file.providers.finnhub);
    expect(gateway.app.router.registry.find('finnhub')?.enabled).toBe(false);
    const polygon = runtime(gateway, 'polygon');
    gateway.write((file) => delete file.providers.polygon);

    const { status, body } = await reload(gateway);
    expect(status).toBe(200);
    expect(body).toEqual({ data: { applied: ['providers.finnhub', 'providers.polygon'], needsRestart: [] } });
    expect((await providerStatus(gateway, 'polygon')).disabledReason).toBe(
      'no providers.polygon block in the configuration',
    );
    expect((await providerStatus(gateway, 'finnhub')).enabled).toBe(true);
    expect((await quote(gateway)).provider).toBe('finnhub');
    const pinned = await quote(gateway, '?provider=polygon');
    expect(pinned.status).toBe(503);
    // No request was on the old configuration, so polygon's pool, breaker and limiter are closed at once.
    await vi.waitFor(() => expect(polygon.breaker.isShutdown).toBe(true), { timeout: 2_000 });
  });

  it('lets a request in flight finish on the configuration it started with, then closes what it used', async () => {
    const gateway = await buildReloadableGateway();
    const polygon = runtime(gateway, 'polygon');
    gateway.simulator('polygon').setFault({ mode: 'slow', delayMs: 400 });
    const inFlight = quote(gateway);
    await vi.waitFor(() => expect(gateway.simulator('polygon').requestCount).toBe(1), { timeout: 2_000, interval: 5 });

    gateway.write((file) => delete file.providers.polygon);
    expect((await reload(gateway)).status).toBe(200);
    expect(polygon.breaker.isShutdown).toBe(false);
    expect((await quote(gateway)).provider).toBe('finnhub');

    const answered = await inFlight;
    expect(answered).toMatchObject({ status: 200, provider: 'polygon' });
    await vi.waitFor(() => expect(polygon.breaker.isShutdown).toBe(true), { timeout: 2_000 });
  });

  it('keeps a spent quota spent and an open breaker open across a reload that changes their settings', async () => {
    const gateway = await buildReloadableGateway((file) => {
      vendorBlock(file, 'polygon').rateLimit = { perMinute: 3, maxConcurrent: 50 };
    });
    for (let call = 0; call < 3; call += 1) expect((await quote(gateway)).provider).toBe('polygon');
    expect((await quote(gateway)).provider).toBe('finnhub');
    runtime(gateway, 'finnhub').breaker.open();

    gateway.write((file) => {
      vendorBlock(file, 'polygon').rateLimit = { perMinute: 5, maxConcurrent: 50 };
      const finnhub = vendorBlock(file, 'finnhub');
      finnhub.breaker = { ...finnhub.breaker, resetTimeoutMs: 120_000 };
    });
    expect((await reload(gateway)).body).toEqual({
      data: {
        applied: ['providers.finnhub.breaker.resetTimeoutMs', 'providers.polygon.rateLimit.perMinute'],
        needsRestart: [],
      },
    });

    // 3 of 5 spent: 2 left, not a fresh 5.
    expect((await providerStatus(gateway, 'polygon')).quota).toEqual([{ window: 'minute', limit: 5, remaining: 2 }]);
    expect(breakerState(runtime(gateway, 'finnhub').breaker)).toBe('open');
    expect((await providerStatus(gateway, 'finnhub')).breaker).toMatchObject({ state: 'open' });
    const pinned = await quote(gateway, '?provider=finnhub');
    expect(pinned.status).toBe(503);
    expect(JSON.parse(pinned.body).attempts).toEqual([{ provider: 'finnhub', outcome: 'breaker-open', ms: 0 }]);
  });

  it('reports what needs a restart and keeps using the running value', async () => {
    const gateway = await buildReloadableGateway();
    gateway.write((file) => {
      file.server = { ...file.server, port: 1 };
      file.cache = { ...file.cache, maxEntries: 10 };
    });
    const { status, body } = await reload(gateway);
    expect(status).toBe(200);
    expect(body).toEqual({ data: { applied: [], needsRestart: ['cache.maxEntries', 'server.port'] } });
    expect(gateway.app.server.listening).toBe(true);
  });
});

describe('the file watch', () => {
  it('reloads once the file changes and has been quiet for debounceMs', async () => {
    const watching = (file: ConfigFile) => (file.reload = { watch: true, pollIntervalMs: 100, debounceMs: 100 });
    const gateway = await buildReloadableGateway(watching);
    const reloaded = nextEvent(gateway, 'configReloaded');
    gateway.write((file) => {
      watching(file);
      file.routing = { ...file.routing, strategy: 'cost' };
    });
    expect(await reloaded).toEqual({ trigger: 'file', applied: ['routing.strategy'], needsRestart: [] });
    expect(gateway.app.router.strategyName('stock-quote')).toBe('cost');
  });
});

describe('SIGHUP', () => {
  it('reloads a running gateway process: the strategy switches under load with no failed request', async () => {
    const gateway = await buildReloadableGateway();
    const server = await startGatewayProcess(gateway.path, gateway.sandbox);
    let logLine = '';
    const { results, duringEndedAt } = await quoteLoad(server.url, {
      total: 120,
      concurrency: 6,
      after: 30,
      during: async () => {
        gateway.write((file) => (file.routing = { ...file.routing, strategy: 'round-robin' }));
        const reloaded = server.line('"event":"configReloaded"');
        server.signal('SIGHUP');
        logLine = await reloaded;
      },
    });
    expect(JSON.parse(logLine)).toMatchObject({
      level: 30,
      trigger: 'SIGHUP',
      applied: ['routing.strategy'],
      needsRestart: [],
      msg: 'configuration reloaded (SIGHUP)',
    });
    expect(results.filter((result) => result.status !== 200)).toEqual([]);
    const after = results.filter((result) => result.startedAt > duringEndedAt).map((result) => result.provider);
    expect(new Set(after)).toEqual(new Set(['polygon', 'finnhub', 'twelvedata', 'marketstack']));
  }, 60_000);
});
