import { spawn } from 'node:child_process';
import http from 'node:http';
import { createInterface } from 'node:readline';

/**
 * Sequential latency of an uncached stock quote: the polygon simulator called directly (baseline) against the
 * gateway answering from that simulator, interleaved in one run so machine noise hits both alike. Loopback only,
 * bounded: ROUNDS requests of each kind.
 */
const rounds = Number(process.env.ROUNDS ?? 1_000);
const server = spawn(process.execPath, ['--import', 'tsx', 'test/bench/sandbox-server.ts'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
// Never leave the server behind, whatever ends this script.
process.on('exit', () => server.kill('SIGTERM'));
const urls = await new Promise<{ gateway: string; simulators: Record<string, string> }>((resolve) => {
  const lines = createInterface({ input: server.stdout });
  lines.on('line', (line) => {
    if (line.startsWith('{"gateway"'))
      resolve(JSON.parse(line) as { gateway: string; simulators: Record<string, string> });
  });
});
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const symbols = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOG', 'META', 'TSLA', 'BRK.B'];

function timedGet(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    http
      .get(url, { agent, headers }, (response) => {
        response.resume();
        response.on('end', () => {
          if (response.statusCode !== 200) reject(new Error(`${url} answered ${response.statusCode}`));
          else resolve(Number(process.hrtime.bigint() - started) / 1e6);
        });
      })
      .on('error', reject);
  });
}

const direct: number[] = [];
const gateway: number[] = [];
for (let index = 0; index < rounds + 100; index += 1) {
  const symbol = symbols[index % symbols.length] as string;
  const directMs = await timedGet(`${urls.simulators.polygon}/v2/snapshot/locale/us/markets/stocks/tickers/${symbol}`, {
    authorization: 'Bearer sandbox-key',
  });
  // no-cache: this measures the uncached path (the cache has its own benchmark, `npm run bench`).
  const gatewayMs = await timedGet(`${urls.gateway}/v1/stocks/${symbol}/quote?provider=polygon`, {
    'cache-control': 'no-cache',
  });
  if (index >= 100) {
    direct.push(directMs);
    gateway.push(gatewayMs);
  }
}
server.kill('SIGTERM');
agent.destroy();

const percentile = (values: number[], fraction: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? NaN;
};
const row = (name: string, values: number[]) =>
  `${name.padEnd(28)} p50 ${percentile(values, 0.5).toFixed(2).padStart(6)} ms   p99 ${percentile(values, 0.99).toFixed(2).padStart(6)} ms`;
process.stdout.write(
  [
    `uncached stock quote, ${rounds} sequential requests each, Node ${process.version}`,
    row('polygon simulator, direct', direct),
    row('gateway → polygon simulator', gateway),
    `added by the gateway: p50 ${(percentile(gateway, 0.5) - percentile(direct, 0.5)).toFixed(2)} ms, ` +
      `p99 ${(percentile(gateway, 0.99) - percentile(direct, 0.99)).toFixed(2)} ms`,
  ].join('\n') + '\n',
);
