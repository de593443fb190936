import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, chromiumPath, launchChromium, warnWithoutChromium } from '../helpers/browser.js';
import { listeningGateway, type ListeningGateway } from '../helpers/listening-gateway.js';

const example = fileURLToPath(new URL('../../examples/watchlist/', import.meta.url));

warnWithoutChromium("the watchlist example's browser test");

describe.skipIf(!chromiumPath)('examples/watchlist in headless chromium, against the demo gateway', () => {
  let gateway: ListeningGateway;
  let server: PreviewServer;
  let browser: Browser;

  beforeAll(async () => {
    // The demo's configuration: the response cache on, as `npm run demo` has it.
    gateway = await listeningGateway((config) => (config.cache.enabled = true), 'manual');
    // Vitest sets NODE_ENV=test, with which Vite would bundle React's development build and development JSX: build
    // what users ship.
    await build({
      root: example,
      logLevel: 'silent',
      define: { 'process.env.NODE_ENV': JSON.stringify('production') },
      oxc: { jsx: { development: false } },
    });
    // vite preview serves the build with the same /v1 proxy as `npm run example:watchlist`, here to this gateway.
    server = await preview({
      root: example,
      logLevel: 'silent',
      preview: { host: '127.0.0.1', port: 0, proxy: { '/v1': gateway.url } },
    });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await gateway?.app.close();
    await gateway?.sandbox.close();
  });

  it('renders prices and headlines from the demo, then the problem details once the gateway is stopped', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 720 } });
    const quoteRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/v1/stocks/quotes')) quoteRequests.push(request.url());
    });
    const url = server.resolvedUrls?.local[0];
    expect(url).toBeDefined();
    await page.goto(url!);

    for (const symbol of ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'BTC']) {
      await expect.poll(() => page.getByTestId(`quote-${symbol}`).innerText()).toMatch(/\d+\.\d{2}/);
    }
    await expect.poll(() => page.locator('li a').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('vendors').innerText()).toMatch(/\d+ of \d+ vendors healthy/);
    await expect.poll(() => page.getByTestId('top-mover').innerText()).toMatch(/top mover [A-Z]+/);
    // Two components show the watchlist (the table and the top mover): one request between them.
    expect(quoteRequests).toHaveLength(1);
    // docs/images/watchlist.png is a copy of this one.
    await page.screenshot({ path: artifactPath('watchlist.png'), fullPage: true });

    await gateway.app.close();
    await gateway.sandbox.close();
    // The next poll comes when the answer stops being fresh (5 s for quotes); the proxy then answers 502 for the gateway.
    const problem = page.getByTestId('problem').first();
    await problem.waitFor({ timeout: 12_000 });
    expect(await problem.innerText()).toMatch(/Bad Gateway \(502\)/);
    expect(await page.getByTestId('quote-AAPL').innerText()).toMatch(/\d+\.\d{2}/);
    await page.screenshot({ path: artifactPath('watchlist-gateway-stopped.png'), fullPage: true });
  }, 40_000);
});
