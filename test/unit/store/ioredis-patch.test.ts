import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';

/*
 * patches/ioredis+5.11.1.patch: after a reconnect ioredis restores SUBSCRIBE (and SELECT) without handling their
 * rejection, so a client closed before the server answered them left an unhandled rejection, "Connection is closed."
 * (fixed upstream in redis/ioredis#2187, released in 6.x only). The patch reports it as an 'error' event instead, which
 * ioredis itself drops when the client is being closed on purpose.
 */

/** A server that speaks just enough RESP: it confirms the first SUBSCRIBE, drops that connection, and then answers nothing. */
function flakyRedis(): Promise<{ port: number; resubscribed: Promise<void>; close(): void }> {
  let connections = 0;
  let resubscribed!: () => void;
  const seen = new Promise<void>((resolve) => (resubscribed = resolve));
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    const connection = ++connections;
    socket.on('data', (data) => {
      // One reply per command in the chunk: +OK to the handshake (CLIENT SETINFO), the confirmation to the first SUBSCRIBE.
      for (const command of data.toString().split(/(?=\*\d+\r\n\$)/)) {
        if (!/subscribe/i.test(command)) socket.write('+OK\r\n');
        else if (connection === 1) {
          socket.write('*3\r\n$9\r\nsubscribe\r\n$7\r\nupdates\r\n:1\r\n');
          setImmediate(() => socket.destroy());
        } else resubscribed();
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        resubscribed: seen,
        close: () => {
          for (const socket of sockets) socket.destroy();
          server.close();
        },
      }),
    ),
  );
}

describe('ioredis with the resubscribe patch', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it('leaves no unhandled rejection when disconnect() cuts a resubscribe short', async () => {
    process.on('unhandledRejection', onUnhandled);
    const server = await flakyRedis();
    const client = new Redis({
      host: '127.0.0.1',
      port: server.port,
      enableReadyCheck: false,
      retryStrategy: () => 10,
      lazyConnect: true,
    });
    await client.connect();
    await client.subscribe('updates');
    await server.resubscribed;
    const ended = new Promise((resolve) => client.once('end', resolve));
    client.disconnect();
    await ended;
    // An unhandled rejection is reported once the microtasks of the turn that rejected it have run.
    await new Promise((resolve) => setImmediate(resolve));
    server.close();
    expect(unhandled).toEqual([]);
  });
});
