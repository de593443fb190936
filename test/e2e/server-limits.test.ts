import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listenOrExit } from '../../src/listen.js';
import { buildTestGateway, type TestGateway } from '../helpers/build-app.js';

/** Sends raw bytes and resolves with the status line of the answer (node's parser answers some requests itself). */
function rawStatusLine(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (received.includes('\r\n')) {
        socket.destroy();
        resolve(received.slice(0, received.indexOf('\r\n')));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received.split('\r\n')[0] ?? ''));
    socket.write(request);
  });
}

/** node sets it from the createServer option; @types/node does not declare it on the server. */
const maxHeaderSizeOf = (server: object) => (server as { maxHeaderSize?: number }).maxHeaderSize;

async function listening(gateway: TestGateway): Promise<number> {
  await listenOrExit(gateway.app, '127.0.0.1', 0);
  return (gateway.app.server.address() as { port: number }).port;
}

describe('server timeouts and limits (server.*)', () => {
  it('sets the defaults on the listening node server', async () => {
    const gateway = await buildTestGateway();
    await listening(gateway);
    const server = gateway.app.server;
    expect({
      requestTimeout: server.requestTimeout,
      headersTimeout: server.headersTimeout,
      keepAliveTimeout: server.keepAliveTimeout,
      timeout: server.timeout,
      maxHeaderSize: maxHeaderSizeOf(server),
    }).toEqual({
      requestTimeout: 30_000,
      headersTimeout: 10_000,
      keepAliveTimeout: 72_000,
      timeout: 60_000,
      maxHeaderSize: 8_192,
    });
    // Node's rule: the headers must be allowed no longer than the whole request.
    expect(server.headersTimeout).toBeLessThanOrEqual(server.requestTimeout);
    expect(gateway.app.initialConfig).toMatchObject({ bodyLimit: 8_192, connectionTimeout: 60_000 });
  });

  it('takes its values from the configuration', async () => {
    const gateway = await buildTestGateway({
      adjust: (config) =>
        Object.assign(config.server, {
          requestTimeoutMs: 20_000,
          headersTimeoutMs: 5_000,
          keepAliveTimeoutMs: 125_000,
          connectionTimeoutMs: 0,
          maxHeaderBytes: 4_096,
        }),
    });
    await listening(gateway);
    const server = gateway.app.server;
    expect([server.requestTimeout, server.headersTimeout, server.keepAliveTimeout, server.timeout]).toEqual([
      20_000, 5_000, 125_000, 0,
    ]);
    expect(maxHeaderSizeOf(server)).toBe(4_096);
  });

  it('answers 431 to a header block over maxHeaderBytes, and serves one under it', async () => {
    const gateway = await buildTestGateway();
    const port = await listening(gateway);
    const request = (padding: number) =>
      `GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'a'.repeat(padding)}\r\nConnection: close\r\n\r\n`;
    expect(await rawStatusLine(port, request(7_000))).toBe('HTTP/1.1 200 OK');
    expect(await rawStatusLine(port, request(9_000))).toMatch(/^HTTP\/1\.1 431 /);
  });

  it('refuses a body over bodyLimitBytes with 413 problem+json', async () => {
    const gateway = await buildTestGateway();
    const fault = (body: string) =>
      gateway.app.inject({
        method: 'POST',
        url: '/sandbox/vendors/polygon/fault',
        headers: { 'content-type': 'application/json' },
        payload: body,
      });
    expect((await fault(JSON.stringify({ mode: 'ok' }))).statusCode).toBe(200);
    const tooLarge = await fault(JSON.stringify({ mode: 'ok', padding: 'a'.repeat(9_000) }));
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('matches no route for a path parameter longer than maxParamLength', async () => {
    const gateway = await buildTestGateway();
    const atLimit = await gateway.app.inject({ method: 'GET', url: `/v1/stocks/${'A'.repeat(64)}/quote` });
    expect(atLimit.statusCode).toBe(400);
    const over = await gateway.app.inject({ method: 'GET', url: `/v1/stocks/${'A'.repeat(65)}/quote` });
    // The router matches nothing; the not-found handler answers (414 where it tells an over-long param apart).
    expect([404, 414]).toContain(over.statusCode);
    expect(over.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
