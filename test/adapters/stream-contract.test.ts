import { describe, expect, it } from 'vitest';
import { providers } from '../../providers/index.js';
import { streamChannels, type StreamFrame } from '../../src/core/index.js';

const key = 'Contract-Test-Key-9f3a';

/** Text no vendor documents: a protocol reads each as frames (ignore or error) and never throws. */
const junkFrames = [
  '',
  'not json',
  'null',
  '42',
  '"text"',
  '[]',
  '{}',
  '[null]',
  '[42, "x", {}]',
  '{"type":null,"event":null,"ev":null,"TYPE":null}',
  '{"type":"trade","data":null}',
  '[{"ev":"T"}]',
  '{"type":"exrate"}',
  '{"event":"price"}',
];

const frameKinds: readonly StreamFrame['kind'][] = ['tick', 'ready', 'heartbeat', 'error', 'reconnect', 'ignore'];

const streaming = providers.filter((adapter) => adapter.stream !== undefined);

describe('stream protocols', () => {
  it('exist for the vendors with a documented WebSocket API', () => {
    expect(streaming.map((adapter) => adapter.name)).toEqual([
      'coinapi',
      'cryptocompare',
      'finnhub',
      'polygon',
      'twelvedata',
    ]);
  });

  describe.each(streaming)('$name', (adapter) => {
    const protocol = adapter.stream!;

    it('declares known channels, an https docs page and a wss URL per channel', () => {
      expect(protocol.channels.length).toBeGreaterThan(0);
      for (const channel of protocol.channels) {
        expect(streamChannels).toContain(channel);
        expect(protocol.defaultUrl(channel)).toMatch(/^wss:\/\//);
      }
      expect(protocol.docsUrl).toMatch(/^https:\/\//);
    });

    it('places the key in exactly one of the URL, the upgrade headers or the opening frames', () => {
      const target = protocol.connectTarget(protocol.defaultUrl(protocol.channels[0]!), key);
      const places = [target.url, JSON.stringify(target.headers ?? {}), protocol.openingMessages(key).join('\n')];
      expect(places.filter((place) => place.includes(key))).toHaveLength(1);
    });

    it('keeps the key out of subscription frames and keep-alives', () => {
      for (const channel of protocol.channels) {
        const frames = [
          ...protocol.subscribeMessages(channel, ['AAPL', 'BTC']),
          ...protocol.unsubscribeMessages(channel, ['AAPL']),
          protocol.keepAlive?.message ?? '',
        ];
        expect(frames.length).toBeGreaterThan(1);
        expect(frames.join('\n')).not.toContain(key);
      }
    });

    it('reads undocumented text as frames without throwing', () => {
      for (const channel of protocol.channels) {
        for (const text of junkFrames) {
          const frames = protocol.parse(text, channel);
          expect(Array.isArray(frames)).toBe(true);
          for (const frame of frames) expect(frameKinds).toContain(frame.kind);
          expect(frames.some((frame) => frame.kind === 'tick' || frame.kind === 'ready')).toBe(false);
        }
      }
    });
  });
});
