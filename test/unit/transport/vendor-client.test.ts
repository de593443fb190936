import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVendorClient, resolvedPath, TransportError } from '../../../src/transport/vendor-client.js';

let server: http.Server;
let baseUrl: string;
let accepted = 0;
const seen: { url: string; headers: http.IncomingHttpHeaders }[] = [];
/** Replies by path, sent as they are: compressed, oversized, not JSON. */
const encodedReplies = new Map<string, { headers: http.OutgoingHttpHeaders; body: Buffer | string }>();

beforeAll(async () => {
  server = http.createServer((request, response) => {
    seen.push({ url: request.url ?? '', headers: request.headers });
    const delay = request.url?.includes('slow') ? 100 : 0;
    const hang = request.url?.includes('hang');
    if (hang) return;
    if (request.url?.includes('drip')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"ok":');
      return;
    }
    const encoded = encodedReplies.get(request.url?.split('?')[0]?.replace('/base', '') ?? '');
    if (encoded) {
      response.writeHead(200, encoded.headers);
      response.end(encoded.body);
      return;
    }
    setTimeout(() => {
      response.writeHead(request.url?.includes('missing') ? 404 : 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ok: true }));
    }, delay);
  });
  server.on('connection', () => {
    accepted += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/base`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const client = (overrides: Partial<Parameters<typeof createVendorClient>[0]> = {}) =>
  createVendorClient({ name: 'acme', baseUrl, auth: null, apiKey: null, maxConnections: 4, ...overrides });

describe('createVendorClient', () => {
  it('puts the key in the declared query parameter and keeps the base path', async () => {
    const vendor = client({ auth: { in: 'query', name: 'apikey' }, apiKey: 'k-123' });
    const reply = await vendor.send(
      { method: 'GET', path: '/quote', query: { symbol: 'AAPL', skip: undefined } },
      AbortSignal.timeout(1_000),
    );
    expect(reply).toMatchObject({ status: 200, body: { ok: true } });
    expect(seen.at(-1)?.url).toBe('/base/quote?symbol=AAPL&apikey=k-123');
    vendor.close();
  });

  it('sends the key once, over an adapter parameter of the same name', async () => {
    const vendor = client({ auth: { in: 'query', name: 'apikey' }, apiKey: 'k-123' });
    await vendor.send(
      { method: 'GET', path: '/quote', query: { apikey: 'from-the-adapter', symbol: 'AAPL' } },
      AbortSignal.timeout(1_000),
    );
    expect(seen.at(-1)?.url).toBe('/base/quote?symbol=AAPL&apikey=k-123');
    vendor.close();
  });

  it('puts the key in the declared header with its scheme, never in the URL', async () => {
    const vendor = client({ auth: { in: 'header', name: 'Authorization', scheme: 'Bearer' }, apiKey: 'k-456' });
    await vendor.send({ method: 'GET', path: '/quote' }, AbortSignal.timeout(1_000));
    expect(seen.at(-1)?.headers.authorization).toBe('Bearer k-456');
    expect(seen.at(-1)?.url).toBe('/base/quote');
    vendor.close();
  });

  it('sends its own headers on every call, and no query string when there is none', async () => {
    const vendor = client({ auth: { in: 'header', name: 'X-Api-Key' }, apiKey: 'k-789' });
    for (let call = 0; call < 2; call += 1) {
      await vendor.send({ method: 'GET', path: '/quote', query: { skip: undefined } }, AbortSignal.timeout(1_000));
      expect(seen.at(-1)?.headers).toMatchObject({
        accept: 'application/json',
        'accept-encoding': 'gzip, br',
        'x-api-key': 'k-789',
        'user-agent': 'market-data-gateway',
      });
      expect(seen.at(-1)?.url).toBe('/base/quote');
    }
    vendor.close();
  });

  it('resolves non-2xx statuses as replies for the adapter to classify', async () => {
    const vendor = client();
    expect((await vendor.send({ method: 'GET', path: '/missing' }, AbortSignal.timeout(1_000))).status).toBe(404);
    vendor.close();
  });

  it('rejects with a timeout when the signal times out, without the URL or key in the error', async () => {
    const vendor = client({ auth: { in: 'query', name: 'token' }, apiKey: 'SECRET-789' });
    const error = await vendor
      .send({ method: 'GET', path: '/hang' }, AbortSignal.timeout(50))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ kind: 'timeout' });
    expect(JSON.stringify(error) + String(error)).not.toMatch(/SECRET-789|\/hang/);
    vendor.close();
  });

  it('bounds the body download by the signal too: a reply that stops halfway times out', async () => {
    const vendor = client();
    await expect(vendor.send({ method: 'GET', path: '/drip' }, AbortSignal.timeout(50))).rejects.toMatchObject({
      kind: 'timeout',
    });
    vendor.close();
  });

  it('reports an aborted call as aborted', async () => {
    const vendor = client();
    const controller = new AbortController();
    const pending = vendor.send({ method: 'GET', path: '/hang' }, controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ kind: 'aborted' });
    vendor.close();
  });

  it('reaches a vendor at an IPv6 literal', async () => {
    const v6 = http.createServer((_request, response) => response.end('{"v6":true}'));
    const listening = await new Promise<boolean>((resolve) => {
      v6.once('error', () => resolve(false));
      v6.listen(0, '::1', () => resolve(true));
    });
    if (!listening) return void console.warn('no IPv6 loopback here: the IPv6 literal case is not tested');
    const vendor = client({ baseUrl: `http://[::1]:${(v6.address() as AddressInfo).port}` });
    expect((await vendor.send({ method: 'GET', path: '/x' }, AbortSignal.timeout(1_000))).body).toEqual({ v6: true });
    vendor.close();
    await new Promise((resolve) => v6.close(resolve));
  });

  it('reports a refused connection as a network failure', async () => {
    const vendor = createVendorClient({
      name: 'gone',
      baseUrl: 'http://127.0.0.1:1',
      auth: null,
      apiKey: null,
      maxConnections: 1,
    });
    await expect(vendor.send({ method: 'GET', path: '/x' }, AbortSignal.timeout(1_000))).rejects.toMatchObject({
      kind: 'network',
      code: 'ECONNREFUSED',
    });
    vendor.close();
  });

  it('opens at most maxConnections sockets to the vendor and reuses them', async () => {
    const before = accepted;
    const vendor = client({ maxConnections: 2 });
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => vendor.send({ method: 'GET', path: '/slow' }, AbortSignal.timeout(2_000))),
    );
    expect(replies.every((reply) => reply.status === 200)).toBe(true);
    expect(accepted - before).toBe(2);
    // The burst's sockets all stay for the next one: no handshake per call once traffic ebbs and flows.
    await Promise.all(
      Array.from({ length: 4 }, () => vendor.send({ method: 'GET', path: '/slow' }, AbortSignal.timeout(2_000))),
    );
    expect(accepted - before).toBe(2);
    vendor.close();
  });

  it('refuses, as bad-request and without a request, a path that would reach the vendor as another path', async () => {
    const vendor = client({ auth: { in: 'query', name: 'apikey' }, apiKey: 'k-123' });
    const before = seen.length;
    for (const path of [
      '/v2/snapshot/tickers/.',
      '/v2/snapshot/tickers/..',
      '/v1/exchangerate/./USD',
      '/v1/exchangerate/%2e/USD',
      '/v1/exchangerate/%2E%2e/USD',
      '/v1/exchangerate/.%2E/USD',
      '/quote/A%2FB',
      '/quote/A%5CB',
      '/quote/A\\B',
      '/quote/A\tB',
      '/quote?symbol=AAPL',
      '/quote#top',
      '/../../other',
    ]) {
      const error = await vendor
        .send({ method: 'GET', path }, AbortSignal.timeout(1_000))
        .catch((caught: unknown) => caught);
      expect(error, path).toBeInstanceOf(TransportError);
      expect(error, path).toMatchObject({ kind: 'bad-request', code: 'path would resolve elsewhere' });
      expect(String(error)).not.toContain('k-123');
    }
    expect(seen.length).toBe(before);
    vendor.close();
  });

  it('sends paths whose dots, colons and encoded characters resolve as built, the same way when checked before', async () => {
    const vendor = client();
    const cases = [
      ['/tickers/BRK.B', '/base/tickers/BRK.B'],
      ['/tickers/X:BTCUSD', '/base/tickers/X:BTCUSD'],
      ['/tickers/%5EGSPC', '/base/tickers/%5EGSPC'],
      ['/tickers/A..B', '/base/tickers/A..B'],
      ['/tickers/é', '/base/tickers/%C3%A9'],
      ['quote', '/base/quote'],
    ] as const;
    // The second round's paths come from the client's memory of checked paths.
    for (const [path, url] of [...cases, ...cases]) {
      expect((await vendor.send({ method: 'GET', path }, AbortSignal.timeout(1_000))).status).toBe(200);
      expect(seen.at(-1)?.url).toBe(url);
      const refused = await vendor
        .send({ method: 'GET', path: `${path}/..` }, AbortSignal.timeout(1_000))
        .catch((caught: unknown) => caught);
      expect(refused, path).toMatchObject({ kind: 'bad-request' });
    }
    vendor.close();
  });

  it('joins an absolute URL given as a path to the base URL instead of following it', async () => {
    const vendor = client();
    const reply = await vendor.send({ method: 'GET', path: 'http://vendor.invalid/steal' }, AbortSignal.timeout(1_000));
    expect(reply.status).toBe(200);
    expect(seen.at(-1)?.url).toBe('/base/http://vendor.invalid/steal');
    vendor.close();
  });
});

describe('createVendorClient reading a reply', () => {
  const quote = { ticker: 'AAPL', price: 189.5 };
  const big = Buffer.alloc(64 * 1024, ' ');

  beforeAll(() => {
    encodedReplies.set('/gzip', {
      headers: { 'content-encoding': 'gzip' },
      body: zlib.gzipSync(JSON.stringify(quote)),
    });
    encodedReplies.set('/br', {
      headers: { 'content-encoding': 'br' },
      body: zlib.brotliCompressSync(JSON.stringify(quote)),
    });
    encodedReplies.set('/deflate', {
      headers: { 'content-encoding': 'deflate' },
      body: zlib.deflateSync(JSON.stringify(quote)),
    });
    encodedReplies.set('/bomb', { headers: { 'content-encoding': 'gzip' }, body: zlib.gzipSync(big) });
    encodedReplies.set('/big', { headers: {}, body: big });
    encodedReplies.set('/zstd', { headers: { 'content-encoding': 'zstd' }, body: 'xx' });
    encodedReplies.set('/html', {
      headers: { 'content-type': 'text/html', 'set-cookie': ['a=1', 'b=2'] },
      body: '<h1>Bad gateway</h1>',
    });
    encodedReplies.set('/bom', { headers: { 'content-type': 'application/json' }, body: '\uFEFF{"ok":true}' });
    encodedReplies.set('/empty', { headers: {}, body: '' });
  });

  it('decompresses gzip, brotli and deflate replies', async () => {
    const vendor = client();
    for (const path of ['/gzip', '/br', '/deflate']) {
      expect((await vendor.send({ method: 'GET', path }, AbortSignal.timeout(1_000))).body, path).toEqual(quote);
    }
    vendor.close();
  });

  it('refuses a reply larger than maxResponseBytes, compressed or not, as a network failure', async () => {
    const vendor = client({ maxResponseBytes: 16 * 1024 });
    for (const path of ['/big', '/bomb']) {
      await expect(vendor.send({ method: 'GET', path }, AbortSignal.timeout(1_000)), path).rejects.toMatchObject({
        kind: 'network',
        code: 'ERR_RESPONSE_TOO_LARGE',
      });
    }
    vendor.close();
  });

  it('refuses an encoding it did not ask for', async () => {
    const vendor = client();
    await expect(vendor.send({ method: 'GET', path: '/zstd' }, AbortSignal.timeout(1_000))).rejects.toMatchObject({
      kind: 'network',
      code: 'ERR_CONTENT_ENCODING',
    });
    vendor.close();
  });

  it('gives text that is not JSON as text, drops a byte-order mark, and joins repeated headers', async () => {
    const vendor = client();
    const html = await vendor.send({ method: 'GET', path: '/html' }, AbortSignal.timeout(1_000));
    expect(html.body).toBe('<h1>Bad gateway</h1>');
    expect(html.headers).toMatchObject({ 'content-type': 'text/html', 'set-cookie': 'a=1, b=2' });
    expect((await vendor.send({ method: 'GET', path: '/bom' }, AbortSignal.timeout(1_000))).body).toEqual({ ok: true });
    expect((await vendor.send({ method: 'GET', path: '/empty' }, AbortSignal.timeout(1_000))).body).toBe('');
    vendor.close();
  });

  it('sends nothing when the signal has already aborted', async () => {
    const vendor = client();
    const before = seen.length;
    await expect(vendor.send({ method: 'GET', path: '/quote' }, AbortSignal.abort())).rejects.toMatchObject({
      kind: 'aborted',
    });
    expect(seen.length).toBe(before);
    vendor.close();
  });

  it('encodes the query as a form, with commas and spaces escaped', async () => {
    const vendor = client();
    await vendor.send(
      { method: 'GET', path: '/quote', query: { tickers: 'AAPL,MSFT', q: 'a b&c', limit: 5, adjusted: true } },
      AbortSignal.timeout(1_000),
    );
    expect(seen.at(-1)?.url).toBe('/base/quote?tickers=AAPL%2CMSFT&q=a+b%26c&limit=5&adjusted=true');
    vendor.close();
  });
});

describe('resolvedPath', () => {
  it('compares segments under the base path, and the origin, and gives the path to send', () => {
    expect(resolvedPath('https://api.example.com/api/v3', '/coins/bitcoin/ohlc')).toBe('/api/v3/coins/bitcoin/ohlc');
    expect(resolvedPath('https://api.example.com/api/v3', '/../v2/coins')).toBeNull();
    expect(resolvedPath('https://api.example.com', '/')).toBe('/');
    expect(resolvedPath('https://api.example.com', '/tickers/é')).toBe('/tickers/%C3%A9');
    expect(resolvedPath('https://api.example.com', '/tickers/\uD800')).toBeNull();
    expect(resolvedPath('not a url', '/x')).toBeNull();
  });
});
