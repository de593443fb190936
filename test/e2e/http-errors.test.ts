import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestGateway, closeTestGateway, type TestGateway } from '../helpers/build-app.js';

let gateway: TestGateway;
let port: number;
beforeAll(async () => {
  gateway = await buildTestGateway({ scope: 'manual' });
  await gateway.app.listen({ host: '127.0.0.1', port: 0 });
  port = (gateway.app.server.address() as { port: number }).port;
});
afterAll(async () => closeTestGateway(gateway));

const problemFields = ['type', 'title', 'status', 'detail', 'instance', 'requestId'];

/** What every error the gateway gives looks like, whoever raised it. */
function expectProblem(
  response: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
  slug: string,
) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  const problem = JSON.parse(response.body) as Record<string, unknown>;
  expect(Object.keys(problem).sort()).toEqual(expect.arrayContaining(problemFields.sort()));
  expect(problem).toMatchObject({ type: `urn:market-data-gateway:problem:${slug}`, status });
  expect(response.headers['x-request-id']).toBe(problem.requestId);
  return problem;
}

/** Sends bytes on a fresh connection and returns the raw answer, for what inject cannot send. */
function rawExchange(bytes: string): Promise<{ statusCode: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve({ statusCode: Number(statusLine.split(' ')[1]), headers, body });
    });
  });
}

describe('errors Fastify and Node raise are problem+json too', () => {
  it('answers an unknown route 404 no-route', async () => {
    const problem = expectProblem(await gateway.app.inject({ url: '/v2/nothing' }), 404, 'no-route');
    expect(problem).toMatchObject({ title: 'No such route', instance: '/v2/nothing' });
  });

  it('answers a known path asked with another method 405 with Allow', async () => {
    const response = await gateway.app.inject({ method: 'DELETE', url: '/v1/stocks/AAPL/quote' });
    const problem = expectProblem(response, 405, 'method-not-allowed');
    expect(response.headers.allow).toBe('GET, HEAD');
    expect(problem.detail).toBe('DELETE is not allowed on /v1/stocks/AAPL/quote; allowed: GET, HEAD');
    expect((await gateway.app.inject({ method: 'PUT', url: '/v1/news' })).headers.allow).toBe('GET, HEAD');
  });

  it('answers a path segment past maxParamLength 414, not Fastify JSON', async () => {
    const response = await gateway.app.inject({ url: `/v1/stocks/${'A'.repeat(500)}/quote` });
    expect(expectProblem(response, 414, 'uri-too-long').detail).toBe(
      'a path segment is longer than the gateway accepts',
    );
  });

  it('answers a path that is not valid percent-encoding 400 malformed-request', async () => {
    expectProblem(await gateway.app.inject({ url: '/v1/stocks/%zz/quote' }), 400, 'malformed-request');
  });

  it('answers a body too large 413', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/sandbox/vendors/polygon/fault',
      headers: { 'content-type': 'application/json' },
      payload: `{"mode":"ok","pad":"${'x'.repeat(1_100_000)}"}`,
    });
    expectProblem(response, 413, 'body-too-large');
  });

  it('answers a body of an unsupported type 415 without echoing the type', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/sandbox/vendors/polygon/fault',
      headers: { 'content-type': 'text/x-evil<script>' },
      payload: 'mode=ok',
    });
    const problem = expectProblem(response, 415, 'unsupported-media-type');
    expect(response.body).not.toContain('evil');
    expect(problem.title).toBe('Unsupported media type');
  });

  it.each([
    ['{"mode":', 'the body is not valid JSON'],
    ['', 'the content type is JSON but the body is empty'],
  ])('answers a bad JSON body %j 400 malformed-request', async (payload, detail) => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/sandbox/vendors/polygon/fault',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    expect(expectProblem(response, 400, 'malformed-request').detail).toBe(detail);
  });

  it('keeps an unknown query key, echoed in the detail, printable and short', async () => {
    const key = `k${'\u0001é'.repeat(200)}`;
    const response = await gateway.app.inject({ url: `/v1/stocks/AAPL/quote?${encodeURIComponent(key)}=1` });
    const problem = expectProblem(response, 400, 'bad-input');
    expect(String(problem.detail).length).toBeLessThan(300);
    expect(String(problem.detail)).toMatch(/^[\x20-\x7e…]+$/);
  });

  it('answers headers past maxHeaderSize 431 on the socket', async () => {
    const response = await rawExchange(
      `GET /v1/stocks/AAPL/quote HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    const problem = expectProblem(response, 431, 'headers-too-large');
    expect(problem.instance).toBe('/v1/stocks/AAPL/quote');
    expect(response.headers.connection).toBe('close');
  });

  it('answers a URL past maxHeaderSize 431 on the socket', async () => {
    const response = await rawExchange(`GET /v1/stocks/${'A'.repeat(20_000)}/quote HTTP/1.1\r\nHost: x\r\n\r\n`);
    expectProblem(response, 431, 'headers-too-large');
  });

  it.each([
    ['an unknown method', 'BREW /v1/stocks/AAPL/quote HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a control character in the path', 'GET /v1/stocks/A\u0001A/quote HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a header without a colon', 'GET /health HTTP/1.1\r\nHost: x\r\nnonsense\r\n\r\n'],
    ['garbage', '\u0000\u0001\u0002 hello\r\n\r\n'],
  ])('answers %s 400 malformed-request on the socket', async (_name, bytes) => {
    const problem = expectProblem(await rawExchange(bytes), 400, 'malformed-request');
    expect(problem.detail).toBe('the request is not valid HTTP/1.1');
  });

  it('answers raw dot segments in a path 400 or no-route, never a vendor call', async () => {
    const calls = () => gateway.sandbox.simulators.reduce((sum, simulator) => sum + simulator.requestCount, 0);
    const before = calls();
    for (const path of [
      '/v1/stocks/./quote',
      '/v1/stocks/../quote',
      '/v1/stocks/%2E/quote',
      '/v1/stocks/%2e%2e/quote',
      '/v1/stocks/.%2E/quote',
      '/v1/crypto/./price',
      '/v1/crypto/%2E/candles',
      '/v1/forex/./USD',
      '/v1/forex/EUR/%2E%2E',
      '/v1/stocks/quotes?symbols=AAPL,.',
    ]) {
      const response = await rawExchange(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect([400, 404], path).toContain(response.statusCode);
      expect(response.headers['content-type'], path).toBe('application/problem+json; charset=utf-8');
    }
    expect(calls()).toBe(before);
  });
});
