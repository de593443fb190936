import closeWithGrace from 'close-with-grace';
import { providers } from '../providers/index.js';
import { buildApp } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config/load.js';
import { listenOrExit } from '../src/listen.js';
import { sandboxControlRoutes } from './control-routes.js';
import { simulatedStreamSources, startSandbox } from './start.js';

/**
 * `npm run demo`: the built-in vendor simulators on loopback and the gateway pointed at them, from the same
 * config/gateway.yaml (same tiers and quotas), with no key, no Redis and no Docker.
 */
const sandbox = await startSandbox();
let config;
try {
  config = loadConfig({ adapters: providers, env: { ...process.env, ...sandbox.env } });
} catch (error) {
  await sandbox.close();
  if (error instanceof ConfigError) {
    process.stderr.write(`market-data-gateway: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
// The demo is keyless: anyone who can reach 127.0.0.1 may call it, operator surface included (docs/security.md).
config.auth.mode = 'open';
config.stream.sources = simulatedStreamSources(sandbox.env, config);
const app = await buildApp({ config });
await app.register(sandboxControlRoutes, { prefix: '/sandbox', sandbox });
closeWithGrace({ delay: 5_000 }, async ({ err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  await app.close();
  await sandbox.close();
});
// Loopback only: the demo serves simulated data and a fault-injection endpoint, nothing for other machines.
const port = config.server.port;
await listenOrExit(app, '127.0.0.1', port);
const base = `http://127.0.0.1:${port}`;
const feedLines = sandbox.simulators.flatMap(({ vendor, stream }) =>
  stream ? stream.channels.map((channel) => `  ${vendor.padEnd(14)} ${channel.padEnd(13)} ${stream.url(channel)}`) : [],
);
process.stdout.write(`
market-data-gateway demo is running on ${base}, with simulated vendors. It asks for no API key: it listens on
127.0.0.1 only, and every request from this machine may do everything (npm start requires keys; see docs/security.md).
Simulated vendors:
${sandbox.simulators.map((simulator) => `  ${simulator.vendor.padEnd(14)} ${simulator.url}`).join('\n')}
Simulated vendor feeds (WebSocket, the vendors' own protocols; connections and subscriptions in GET /sandbox/vendors):
${feedLines.join('\n')}

Try:
  curl ${base}/v1/stocks/AAPL/quote
  curl '${base}/v1/stocks/quotes?symbols=AAPL,MSFT,NVDA'
  curl '${base}/v1/stocks/AAPL/candles?interval=1d&from=2026-10-01&to=2026-10-31'
  curl ${base}/v1/crypto/BTC/price
  curl '${base}/v1/crypto/ETH/candles?interval=4h'
  curl ${base}/v1/forex/EUR/USD
  curl '${base}/v1/news?symbols=AAPL&limit=5'
  curl ${base}/v1/providers
  open ${base}/docs

Watch live quotes (docs/streaming.md): server-sent events here, or a WebSocket on ws://127.0.0.1:${port}/v1/stream:
  curl -N '${base}/v1/stream/sse?channel=stocks.quote&symbols=AAPL,MSFT'
  curl -N '${base}/v1/stream/sse?channel=crypto.price&symbols=BTC'
Make the feed serving AAPL hang (GET /sandbox/vendors shows which): within about a second the stream's "source"
changes, and /v1/events shows a streamFailover event.

Watch failover: stream the router's events, make polygon hang, then ask for fresh quotes (no-cache): when polygon
is tried first it is hedged after its p95 and another vendor answers; meta.attempts shows the polygon try:
  curl -N ${base}/v1/events &
  curl -X POST ${base}/sandbox/vendors/polygon/fault -H 'content-type: application/json' -d '{"mode":"hang"}'
  curl -H 'cache-control: no-cache' ${base}/v1/stocks/MSFT/quote
  curl '${base}/v1/stocks/AAPL/quote?provider=polygon'     # pinned: no failover, a 504 problem+json
  curl -X POST ${base}/sandbox/vendors/polygon/fault -H 'content-type: application/json' -d '{"mode":"ok"}'
Modes: ok, error, hang, slow, rate-limited, malformed, refuse.  Ctrl-C stops everything.
`);
