import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import helmet from '@fastify/helmet';
import Fastify, { type LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ResponseCache } from '../../src/cache/response-cache.js';
import { helmetHeaders, helmetOptions, swaggerUiLogoStyleHash } from '../../src/http/plugins/security-headers.js';
import { chromiumPath, warnWithoutChromium } from '../helpers/browser.js';
import { buildTestGateway, type TestGateway } from '../helpers/build-app.js';

const csp =
  "default-src 'self';base-uri 'self';connect-src 'self';font-src 'self' data:;form-action 'self';" +
  "frame-ancestors 'none';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';" +
  `style-src 'self' ${swaggerUiLogoStyleHash}`;

const get = (gateway: TestGateway, url: string, headers: Record<string, string> = {}) =>
  gateway.app.inject({ method: 'GET', url, headers });

function expectSecurityHeaders(response: LightMyRequestResponse): void {
  expect(response.headers).toMatchObject({
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
    'strict-transport-security': 'max-age=31536000',
  });
  expect(response.headers['x-powered-by']).toBeUndefined();
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('security headers (@fastify/helmet)', () => {
  it('are on a data answer, a problem+json error, a 404 and the operations routes alike', async () => {
    const gateway = await buildTestGateway();
    const answer = await get(gateway, '/v1/forex/EUR/USD');
    expect(answer.statusCode).toBe(200);
    expectSecurityHeaders(answer);

    const badInput = await get(gateway, '/v1/stocks/AAPL/quote?provider=NOT-A-VENDOR');
    expect(badInput.statusCode).toBe(400);
    expect(badInput.headers['content-type']).toMatch(/^application\/problem\+json/);
    expectSecurityHeaders(badInput);

    const missing = await get(gateway, '/v1/nothing-here');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expectSecurityHeaders(missing);

    for (const url of ['/health', '/ready', '/metrics', '/openapi.json'])
      expectSecurityHeaders(await get(gateway, url));
  });

  it('are on a cache hit answered by the fast path, before validation (helmet runs in onRequest)', async () => {
    const gateway = await buildTestGateway({ adjust: (config) => (config.cache.enabled = true) });
    expect((await get(gateway, '/v1/stocks/AAPL/quote')).headers['x-cache']).toBe('miss');
    const hit = vi.spyOn(ResponseCache.prototype, 'hit');
    const serve = vi.spyOn(ResponseCache.prototype, 'serve');
    const fast = await get(gateway, '/v1/stocks/AAPL/quote');
    expect(fast.statusCode).toBe(200);
    expect(fast.headers['x-cache']).toBe('hit');
    // Answered by the preParsing hook: the route handler (serve) never ran.
    expect(hit.mock.results.filter((result) => result.value !== undefined)).toHaveLength(1);
    expect(serve).not.toHaveBeenCalled();
    expectSecurityHeaders(fast);
  });

  it('keep Swagger UI working at /docs: its page and every asset it loads come from this origin', async () => {
    const gateway = await buildTestGateway();
    const page = await get(gateway, '/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expectSecurityHeaders(page);
    // No inline script and no inline style attribute: script-src 'self' and style-src 'self' cover the page.
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.body).not.toMatch(/\sstyle=/);
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] as string);
    expect(assets.length).toBeGreaterThanOrEqual(5);
    for (const asset of assets) {
      expect(asset, 'a relative, same-origin URL').toMatch(/^\.\/static\//);
      const response = await get(gateway, `/docs/${asset.slice(2)}`);
      expect(response.statusCode, asset).toBe(200);
      expectSecurityHeaders(response);
    }
    const spec = await get(gateway, '/docs/json');
    expect(spec.statusCode).toBe(200);
    expectSecurityHeaders(spec);
  });

  it('are the headers @fastify/helmet itself sends with the same options', async () => {
    const reference = Fastify();
    await reference.register(helmet, { ...helmetOptions, global: true });
    reference.get('/', async () => ({}));
    const sent = await reference.inject({ method: 'GET', url: '/' });
    await reference.close();
    const fastifysOwn = new Set(['content-type', 'content-length', 'date', 'connection']);
    const fromHelmet = Object.fromEntries(Object.entries(sent.headers).filter(([name]) => !fastifysOwn.has(name)));
    expect(await helmetHeaders()).toEqual(fromHelmet);
    expect(Object.keys(fromHelmet)).toContain('x-content-type-options');
  });

  it("allows Swagger UI's one inline <style> by the hash of the installed version's text", () => {
    const require = createRequire(import.meta.url);
    const preset = readFileSync(
      join(dirname(require.resolve('@fastify/swagger-ui/package.json')), 'static/swagger-ui-standalone-preset.js'),
      'utf8',
    );
    const styles = [...preset.matchAll(/createElement\("style",null,"([^"]*)"\)/g)].map((match) => match[1] as string);
    expect(styles).toHaveLength(1);
    const hash = createHash('sha256')
      .update(styles[0] as string)
      .digest('base64');
    expect(swaggerUiLogoStyleHash).toBe(`'sha256-${hash}'`);
  });
});

warnWithoutChromium('the headless Swagger UI CSP check');

describe.skipIf(!chromiumPath)('Swagger UI in a real browser (headless chromium)', () => {
  it('renders every operation with no Content-Security-Policy violation', async () => {
    const gateway = await buildTestGateway();
    await gateway.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = gateway.app.server.address() as { port: number };
    // Asynchronously: the gateway answering chromium runs in this process.
    const { stdout, stderr } = await promisify(execFile)(
      chromiumPath as string,
      [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--enable-logging=stderr',
        '--v=0',
        '--virtual-time-budget=3000',
        '--dump-dom',
        `http://127.0.0.1:${port}/docs/`,
      ],
      { encoding: 'utf8', timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
    );
    // Chromium logs each violation to the console, which --enable-logging copies to stderr.
    expect(stderr).not.toMatch(/Content Security Policy/i);
    const operations = new Set([...stdout.matchAll(/data-path="([^"]+)"/g)].map((match) => match[1]));
    expect(operations).toContain('/v1/stocks/{symbol}/quote');
    expect(operations.size).toBeGreaterThanOrEqual(10);
  }, 90_000);
});
