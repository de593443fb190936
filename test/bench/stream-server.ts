import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { providers } from '../../providers/index.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import { providerConfigSchema } from '../../src/config/schema.js';
import { startSandbox } from '../../sandbox/start.js';
import { FakeStreamVendor, fakeStreamingAdapter } from '../helpers/fake-stream-vendor.js';

/**
 * One side of `npm run bench:stream`, in its own process so its CPU and memory are its own: BENCH_SIDE=gateway runs
 * the gateway over a fake streaming vendor (test/helpers/fake-stream-vendor.ts) and the sandbox; BENCH_SIDE=baseline
 * a bare `ws` server that sends the same update messages straight to its subscribers (the floor any fan-out costs).
 * Both tick every one of SYMBOLS symbols RATE times a second once told to start, and answer GET /stats with their
 * CPU time, resident memory and messages sent. Prints one JSON line with the URLs, then serves until killed.
 */
const symbols = Number(process.env.SYMBOLS ?? 50);
const rate = Number(process.env.RATE ?? 0.5);
const side = process.env.BENCH_SIDE ?? 'gateway';

let price = 100;
let ticker: NodeJS.Timeout | undefined;
/** Every symbol ticks at the start of a round; both sides stamp `asOf` with that moment, so latency counts the queue. */
const startTicking = (tick: (symbol: string, price: number, at: string) => void) => {
  const round = () => {
    price += 0.01;
    const at = new Date().toISOString();
    for (let index = 0; index < symbols; index += 1) tick(`SYM${index}`, price, at);
  };
  round();
  ticker = setInterval(round, 1_000 / rate);
};

let wsUrl: string;
let delivered: () => Promise<number>;
let begin: () => void;
if (side === 'baseline') {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const followers = new Map<string, Set<import('ws').WebSocket>>();
  let sent = 0;
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { channel: string; symbols: string[] };
      for (const symbol of message.symbols) {
        const set = followers.get(symbol) ?? new Set();
        set.add(socket);
        followers.set(symbol, set);
      }
      socket.send(JSON.stringify({ op: 'subscribed', channel: message.channel, symbols: message.symbols }));
    });
    socket.on('close', () => {
      for (const set of followers.values()) set.delete(socket);
    });
  });
  wsUrl = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  delivered = async () => sent;
  begin = () =>
    startTicking((symbol, value, at) => {
      // The same shape and size as the gateway's update message.
      const text = JSON.stringify({
        op: 'update',
        channel: 'stocks.quote',
        symbol,
        source: 'bench',
        via: 'stream',
        data: {
          symbol,
          price: value,
          change: 1.23,
          changePercent: 0.65,
          open: 99,
          high: 101,
          low: 98,
          previousClose: 98.77,
          volume: 1_000_000,
          currency: 'USD',
          asOf: at,
        },
      });
      for (const socket of followers.get(symbol) ?? []) {
        socket.send(text);
        sent += 1;
      }
    });
} else {
  const vendor = await FakeStreamVendor.start();
  const sandbox = await startSandbox();
  const config = loadConfig({ adapters: providers, env: { ...sandbox.env, LOG_LEVEL: 'error' } });
  config.server.clientRateLimit.enabled = false;
  config.auth.mode = 'open';
  config.auth.spendPerWindow = 0;
  config.routing.healthChecks = false;
  config.providers.bench = providerConfigSchema.parse({ tier: 1, streamUrl: vendor.url });
  config.stream.sources = { 'stocks.quote': ['bench'] };
  config.stream.maxConnectionsPerClient = 100_000;
  config.stream.maxConnections = 100_000;
  config.stream.maxSymbolsPerClient = 10_000_000;
  const app = await buildApp({ config, adapters: [...providers, fakeStreamingAdapter('bench')] });
  await app.listen({ host: '127.0.0.1', port: 0 });
  wsUrl = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/stream`;
  delivered = async () => {
    const metrics = await (await app.inject({ url: '/metrics' })).body;
    return Number(/^gateway_stream_messages_out_total (\d+)/m.exec(metrics)?.[1] ?? 0);
  };
  begin = () => startTicking((symbol, value) => vendor.trade('stocks.quote', symbol, value));
}

const control = http.createServer((request, response) => {
  if (request.url === '/start') {
    if (!ticker) begin();
    response.end('{}');
    return;
  }
  if (request.url === '/stop') {
    clearInterval(ticker);
    response.end('{}');
    return;
  }
  void delivered().then((sent) => {
    const cpu = process.cpuUsage();
    response.end(JSON.stringify({ cpuMicros: cpu.user + cpu.system, rss: process.memoryUsage().rss, sent }));
  });
});
control.listen(0, '127.0.0.1', () => {
  const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;
  process.stdout.write(`${JSON.stringify({ wsUrl, controlUrl })}\n`);
});
// Exit cleanly on SIGINT so that --cpu-prof (BENCH_PROFILE) writes its profile.
process.on('SIGINT', () => process.exit(0));
