import { describe, expect, it } from 'vitest';
import { coinapiStream } from '../../../providers/coinapi/stream.js';
import { coinapiSimulator } from '../../../sandbox/coinapi-simulator.js';
import { startSimulator } from '../../../sandbox/simulator.js';
import type { RunningFeed } from '../../../sandbox/stream-feed.js';
import { ProtocolClient, streamSimulatorConformance } from '../../helpers/stream-simulator.js';

streamSimulatorConformance(coinapiStream, coinapiSimulator, {
  channel: 'crypto.price',
  symbols: ['BTC', 'ETH'],
  withoutKey: { frame: { kind: 'error', fatal: true, detail: 'coinapi refused the connection (error frame)' } },
  faultFrame: { kind: 'error', fatal: true },
});

describe('coinapi simulator feed', () => {
  it('sends heartbeats, spelled as coinapi does, to a connection that asked for them', async () => {
    const quick = await startSimulator(coinapiSimulator, { stream: { heartbeatIntervalMs: 10 } });
    try {
      const feed = quick.stream as RunningFeed;
      const client = await ProtocolClient.connect(coinapiStream, feed, 'crypto.price');
      const raw: string[] = [];
      client.socket.on('message', (data) => raw.push(data.toString()));
      // The subscribe message carries `heartbeat: true`: heartbeats start with the first subscription.
      client.subscribe(['BTC']);
      expect(await client.next((frame) => frame.kind === 'heartbeat')).toEqual({ kind: 'heartbeat' });
      expect(raw).toContain('{"type":"hearbeat"}');
      client.close();
    } finally {
      await quick.close();
    }
  });
});
