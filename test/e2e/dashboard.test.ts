import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { dashboardOutput } from '../../scripts/build-dashboard.js';
import { hashClientKey } from '../../src/config/env-overrides.js';
import type { GatewayConfig } from '../../src/config/schema.js';
import { dashboardRoutes } from '../../src/http/routes/dashboard.js';
import { registerErrorHandler } from '../../src/http/plugins/error-handler.js';
import { artifactPath, chromiumPath, launchChromium, warnWithoutChromium } from '../helpers/browser.js';
import { buildTestGateway, type TestGateway } from '../helpers/build-app.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const operatorKey = 'mdg_dashboard-operator-key-0123456789';
const withOperatorKey = (config: GatewayConfig) => {
  config.auth.mode = 'keys';
  config.auth.keys = [{ name: 'ops', sha256: hashClientKey(operatorKey), scopes: ['data', 'operator'] }];
};

describe('/dashboard: the static files', () => {
  it('redirects to the slash form, then serves the page, script and style under the CSP, precompressed', async () => {
    const gateway = await buildTestGateway();
    const bare = await gateway.app.inject({ url: '/dashboard' });
    expect(bare.statusCode).toBe(302);
    expect(bare.headers.location).toBe('/dashboard/');

    const page = await gateway.app.inject({ url: '/dashboard/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.body).toContain('<script type="module" src="app.js">');

    const script = await gateway.app.inject({ url: '/dashboard/app.js', headers: { 'accept-encoding': 'gzip' } });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/^application\/javascript/);
    expect(script.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(script.rawPayload).equals(readFileSync(join(dashboardOutput, 'app.js')))).toBe(true);
    expect(script.headers.etag).toBeTruthy();

    const style = await gateway.app.inject({ url: '/dashboard/app.css' });
    expect(style.headers['content-type']).toMatch(/^text\/css/);
  });

  it('answers a missing file, or a path climbing out of the folder, with a 404 problem', async () => {
    const gateway = await buildTestGateway();
    for (const url of ['/dashboard/nothing.js', '/dashboard/..%2f..%2fpackage.json', '/dashboard/../package.json']) {
      const response = await gateway.app.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).not.toContain('market-data-gateway@');
    }
  });

  it('stays under 100 KB gzipped in all', () => {
    const gzipped = readdirSync(dashboardOutput).filter((file) => file.endsWith('.gz'));
    expect(gzipped.map((file) => file.replace(/\.gz$/, '')).sort()).toEqual(['app.css', 'app.js', 'index.html']);
    const total = gzipped.reduce((sum, file) => sum + readFileSync(join(dashboardOutput, file)).length, 0);
    expect(total).toBeLessThan(100 * 1024);
  });

  it('is open without a key, while every endpoint it reads needs the operator scope', async () => {
    const gateway = await buildTestGateway({ adjust: withOperatorKey });
    expect((await gateway.app.inject({ url: '/dashboard/' })).statusCode).toBe(200);
    for (const url of ['/v1/providers', '/v1/instances', '/metrics', '/v1/events']) {
      expect((await gateway.app.inject({ url })).statusCode, url).toBe(401);
    }
  });

  it('says it is not built, as a 404 problem, when the folder has no index.html', async () => {
    const app = Fastify();
    registerErrorHandler(app);
    await app.register(dashboardRoutes, { prefix: '/dashboard', root: mkdtempSync(join(tmpdir(), 'no-dashboard-')) });
    const response = await app.inject({ url: '/dashboard/' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ detail: expect.stringMatching(/not built.*npm run build:dashboard/) });
    await app.close();
  });
});

warnWithoutChromium('the dashboard browser test');

describe.skipIf(!chromiumPath)('/dashboard in a real browser (Debian chromium, playwright-core)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** A page on the gateway that records console errors and uncaught exceptions; closed after the test. */
  async function openDashboard(url: string, viewport = { width: 1280, height: 900 }) {
    const page = await browser.newPage({ viewport });
    onTestFinished(() => page.close());
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${url}/dashboard`);
    return { page, errors };
  }

  async function listening(gateway: TestGateway): Promise<string> {
    await gateway.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = gateway.app.server.address() as { port: number };
    return `http://127.0.0.1:${port}`;
  }

  /** Stock quotes until `until` resolves: with polygon failing, each one is a failover to the next vendor. */
  async function trafficUntil(url: string, until: Promise<unknown>): Promise<void> {
    let done = false;
    void until.finally(() => (done = true));
    for (let symbol = 0; !done && symbol < 100; symbol++) {
      await fetch(`${url}/v1/stocks/SYM${symbol}/quote`).then((response) => response.arrayBuffer());
    }
    await until;
  }

  const feedEntry = (page: Page, events: string) =>
    page.waitForSelector(
      events
        .split(',')
        .map((name) => `.feed [data-event="${name}"]`)
        .join(', '),
      {
        timeout: 3_000,
      },
    );

  it('lists every configured vendor and loads with no console error', async () => {
    const gateway = await buildTestGateway();
    const url = await listening(gateway);
    const { page, errors } = await openDashboard(url);
    await page.waitForSelector('tr[data-vendor]');
    const listed = await page.$$eval('tr[data-vendor]', (rows) => rows.map((row) => row.getAttribute('data-vendor')));
    expect(listed.sort()).toEqual(Object.keys(gateway.config.providers).sort());
    await page.waitForSelector('[data-stream-state="live"]');
    expect(await page.locator('[data-capability="stock-quote"]').textContent()).toMatch(/polygon/);
    await page.screenshot({ path: artifactPath('dashboard-desktop.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('shows a fault set with its own keyboard controls as a failover in the live feed within 3 s', async () => {
    const gateway = await buildTestGateway();
    const url = await listening(gateway);
    const { page, errors } = await openDashboard(url);
    await page.waitForSelector('[data-stream-state="live"]');
    // Keyboard only: focus the vendor list, pick polygon, tab to "500", press Enter.
    await page.focus('.fault-controls select');
    await page.keyboard.type('polygon');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').getAttribute('data-fault')).toBe('error');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-simulator="polygon"]');
    expect(gateway.sandbox.simulators.find((simulator) => simulator.vendor === 'polygon')?.fault.mode).toBe('error');

    const faultSetAt = Date.now();
    await trafficUntil(url, feedEntry(page, 'failover,breakerOpened'));
    expect(Date.now() - faultSetAt).toBeLessThan(3_000);
    expect(await page.locator('.feed li').first().textContent()).toMatch(/polygon/);
    await page.screenshot({ path: artifactPath('dashboard-failover.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('reconnects its event stream after a cut, with Last-Event-ID, and goes on showing events', async () => {
    const gateway = await buildTestGateway();
    const url = await listening(gateway);
    const proxy: TcpProxy = await startTcpProxy(Number(new URL(url).port));
    onTestFinished(() => proxy.close());
    const { page } = await openDashboard(proxy.url);
    await page.waitForSelector('[data-stream-state="live"]');
    gateway.sandbox.simulators
      .find((simulator) => simulator.vendor === 'polygon')
      ?.setFault({ mode: 'error', delayMs: 0 });
    await trafficUntil(url, feedEntry(page, 'failover'));
    const before = await page.locator('.feed li').count();

    proxy.cutAll();
    await page.waitForSelector('[data-stream-state="reconnecting"]');
    await page.waitForSelector('[data-stream-state="live"]', { timeout: 5_000 });
    const reconnects = proxy.requestHeads.filter((head) => /^GET \/v1\/events /.test(head));
    expect(reconnects.length).toBeGreaterThanOrEqual(2);
    expect(reconnects.at(-1)).toMatch(/\r\nlast-event-id: \d+/i);

    gateway.sandbox.simulators
      .find((simulator) => simulator.vendor === 'finnhub')
      ?.setFault({ mode: 'error', delayMs: 0 });
    await trafficUntil(
      url,
      expect.poll(() => page.locator('.feed li').count(), { timeout: 3_000 }).toBeGreaterThan(before),
    );
  });

  it('asks for the operator key when the gateway has one, then shows the vendors', async () => {
    const gateway = await buildTestGateway({ adjust: withOperatorKey });
    const url = await listening(gateway);
    const { page, errors } = await openDashboard(url);
    // What the page asked and was answered, told when a wait below fails (this test was once flaky under a full run).
    const answers: string[] = [];
    page.on('response', (response) => {
      const key = response.request().headers()['x-api-key'];
      answers.push(`${response.status()} ${new URL(response.url()).pathname} key=${key ? key.slice(0, 12) : '-'}`);
    });
    const explained = (waiting: Promise<unknown>) =>
      waiting.catch(async (error: unknown) => {
        const text = await page.locator('body').innerText();
        throw new Error(`${String(error)}\npage:\n${text}\nanswers:\n${answers.join('\n')}`);
      });
    await page.waitForSelector('form.key-form');
    expect(await page.locator('form.key-form').textContent()).toMatch(/API key is required/);
    await page.fill('form.key-form input', 'mdg_not-the-right-key-000000000000');
    await page.press('form.key-form input', 'Enter');
    // Generous bounds: these wait for answers, not for a target (a full run on a loaded machine once took over 3 s).
    await explained(page.locator('form.key-form', { hasText: 'not valid' }).waitFor({ timeout: 10_000 }));
    await page.fill('form.key-form input', operatorKey);
    await page.press('form.key-form input', 'Enter');
    await page.waitForSelector('tr[data-vendor="polygon"]', { timeout: 10_000 });
    await page.waitForSelector('[data-stream-state="live"]', { timeout: 10_000 });
    const { origins } = await page.context().storageState();
    expect(origins.flatMap((origin) => origin.localStorage)).toEqual([]);
    // 401 answers to the first calls are logged by chromium as failed resources; nothing else may be.
    expect(errors.filter((error) => !/status of 401/.test(error))).toEqual([]);
  });

  it('fits a phone: no sideways scrolling at 390 px, one card per vendor', async () => {
    const gateway = await buildTestGateway();
    const url = await listening(gateway);
    const { page } = await openDashboard(url, { width: 390, height: 844 });
    await page.waitForSelector('tr[data-vendor]');
    // A string runs in the page, where the DOM is (this file is compiled without DOM types).
    const [pageWidth, viewWidth] = await page.evaluate<number[]>('[document.documentElement.scrollWidth, innerWidth]');
    expect(pageWidth).toBeLessThanOrEqual(viewWidth!);
    expect(await page.locator('table.vendors thead').boundingBox()).toMatchObject({ height: 1 });
    await page.screenshot({ path: artifactPath('dashboard-phone.png'), fullPage: true });
  });
});
