import { describe, expect, it } from 'vitest';
import { finnhubStream } from '../../../providers/finnhub/stream.js';
import { finnhubSimulator } from '../../../sandbox/finnhub-simulator.js';
import { startSimulator } from '../../../sandbox/simulator.js';
import type { RunningFeed } from '../../../sandbox/stream-feed.js';
import { ProtocolClient, streamSimulatorConformance } from '../../helpers/stream-simulator.js';

const sandbox = streamSimulatorConformance(finnhubStream, finnhubSimulator, {
  channel: 'stocks.quote',
  symbols: ['AAPL', 'BRK.B'],
  withoutKey: { upgradeStatus: 401 },
  faultFrame: { kind: 'error', fatal: false },
});

describe('finnhub simulator feed', () => {
  it('streams crypto as Binance USDT pairs on the same socket', async () => {
    const client = await ProtocolClient.connect(finnhubStream, sandbox.feed, 'crypto.price');
    client.subscribe(['BTC']);
    await sandbox.feed.until(() => sandbox.feed.subscriptions.get('BTC') === 1);
    sandbox.feed.tickNow();
    const [tick] = await client.ticks(1);
    expect(tick).toMatchObject({ channel: 'crypto.price', symbol: 'BTC', size: 0.0125 });
    client.close();
  });

  it('answers a symbol it does not list with an error frame that names it', async () => {
    const client = await ProtocolClient.connect(finnhubStream, sandbox.feed, 'stocks.quote');
    client.subscribe(['ZZZQ']);
    expect(await client.next((frame) => frame.kind === 'error')).toEqual({
      kind: 'error',
      fatal: false,
      detail: 'finnhub refused a symbol',
      symbol: 'ZZZQ',
    });
    expect(sandbox.feed.subscriptions.has('ZZZQ')).toBe(false);
    client.close();
  });

  it('pings every connection at the heartbeat interval', async () => {
    const quick = await startSimulator(finnhubSimulator, { stream: { heartbeatIntervalMs: 10 } });
    try {
      const client = await ProtocolClient.connect(finnhubStream, quick.stream as RunningFeed, 'stocks.quote');
      expect(await client.next((frame) => frame.kind === 'heartbeat')).toEqual({ kind: 'heartbeat' });
      client.close();
    } finally {
      await quick.close();
    }
  });
});
