import { createServer, type ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import { RouterEventEmitter } from '../../../src/core/events.js';
import { EventHub } from '../../../src/observability/event-hub.js';
import { WebhookNotifier } from '../../../src/observability/webhooks.js';
import { AlertClaims } from '../../../src/store/alert-claims.js';

/** A webhook receiver that never answers: the shutdown must not wait on it past its drain time. */
async function hangingReceiver(): Promise<{ url: string; received: () => number }> {
  const held: ServerResponse[] = [];
  const server = createServer((_request, response) => held.push(response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/hook`, received: () => held.length };
}

function capturedLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { log: pino(stream), lines };
}

/** One instance, no Redis: every alert is this instance's to send. */
const noRedis = new AlertClaims(null, 'mdg');

describe('webhook drain on shutdown', () => {
  it('ends within its drain time when the receiver hangs: the POST in flight aborted, the queue dropped and logged', async () => {
    const receiver = await hangingReceiver();
    const events = new RouterEventEmitter();
    const { log, lines } = capturedLog();
    const notifier = new WebhookNotifier(
      new EventHub(events),
      [{ url: receiver.url, events: ['failover'], minIntervalMs: 0 }],
      noRedis,
      log,
      { timeoutMs: 60_000, attempts: 3, retryBaseMs: 60_000, maxPending: 100 },
    );
    for (const to of ['a', 'b', 'c']) {
      events.emit('failover', { capability: 'stock-quote', from: 'polygon', to, reason: 'timeout', requestId: to });
    }
    await expect.poll(receiver.received).toBe(1);

    const started = performance.now();
    await notifier.close(300);
    const tookMs = performance.now() - started;
    expect(tookMs).toBeGreaterThanOrEqual(290);
    expect(tookMs).toBeLessThan(1_000);
    expect(lines.join('')).toContain('"dropped":2');
  });

  it('waits for a receiver that answers within the drain time, and logs nothing', async () => {
    const events = new RouterEventEmitter();
    const { log, lines } = capturedLog();
    let delivered = 0;
    const server = createServer((_request, response) => {
      delivered += 1;
      setTimeout(() => response.writeHead(204).end(), 100);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as { port: number };
    const notifier = new WebhookNotifier(
      new EventHub(events),
      [{ url: `http://127.0.0.1:${port}/hook`, events: ['failover'], minIntervalMs: 0 }],
      noRedis,
      log,
    );
    for (const to of ['a', 'b']) {
      events.emit('failover', { capability: 'stock-quote', from: 'polygon', to, reason: 'timeout', requestId: to });
    }
    await notifier.close(5_000);
    expect(delivered).toBe(2);
    expect(lines).toEqual([]);
  });
});
