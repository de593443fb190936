import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StreamChannel } from '../../../src/core/index.js';
import { ClusterTopics } from '../../../src/stream/cluster.js';
import type { StreamHub, TopicSource } from '../../../src/stream/hub.js';
import type { RedisConnections } from '../../../src/store/redis.js';

/** Keys with a holder and an expiry on the (fake) clock, and the two lease scripts of cluster.ts, in memory. */
class FakeLeases {
  readonly entries = new Map<string, { holder: string; expiresAt: number }>();
  ready = true;

  connections(): RedisConnections {
    const subscriber = Object.assign(new EventEmitter(), {
      subscribe: async () => 1,
      unsubscribe: async () => 1,
    });
    return {
      command: {
        eval: async (script: string, _keys: number, key: string, holder: string, ttl?: number) => {
          const entry = this.entries.get(key);
          const current = entry && entry.expiresAt > Date.now() ? entry.holder : null;
          if (script.includes('PEXPIRE')) {
            if (current !== null && current !== holder) return 0;
            this.entries.set(key, { holder, expiresAt: Date.now() + Number(ttl) });
            return 1;
          }
          if (current === holder) this.entries.delete(key);
          return current === holder ? 1 : 0;
        },
        publish: async () => 0,
      },
      subscriber,
      isReady: () => this.ready,
    } as unknown as RedisConnections;
  }
}

function upstream() {
  const followed = new Set<string>();
  const source: TopicSource = {
    acquire: (channel: StreamChannel, symbol: string) => followed.add(`${channel}:${symbol}`),
    release: (channel: StreamChannel, symbol: string) => followed.delete(`${channel}:${symbol}`),
  };
  return { source, followed };
}

const hub = { publish: () => undefined } as unknown as StreamHub;
const leaseMs = 3_000;

/** Instances `a` and `b` on the same leases, each with its own upstream. */
function twoInstances(leases: FakeLeases) {
  const [a, b] = [upstream(), upstream()];
  const first = new ClusterTopics(a.source, hub, leases.connections(), 'mdg', 'a', leaseMs);
  const second = new ClusterTopics(b.source, hub, leases.connections(), 'mdg', 'b', leaseMs);
  return { a, b, first, second };
}

describe('ClusterTopics', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('lets one instance of two lead a topic, and hands it over when the leader stops following it', async () => {
    const leases = new FakeLeases();
    const { a, b, first, second } = twoInstances(leases);
    first.acquire('stocks.quote', 'AAPL');
    second.acquire('stocks.quote', 'AAPL');
    await vi.advanceTimersByTimeAsync(0);
    expect([...a.followed, ...b.followed]).toEqual(['stocks.quote:AAPL']);
    // Renewals keep the leader: several lease periods later it still leads alone.
    await vi.advanceTimersByTimeAsync(4 * leaseMs);
    expect(a.followed.size).toBe(1);
    expect(b.followed.size).toBe(0);

    first.release('stocks.quote', 'AAPL');
    await vi.advanceTimersByTimeAsync(0);
    expect(a.followed.size).toBe(0);
    await vi.advanceTimersByTimeAsync(leaseMs / 3);
    expect(b.followed.size).toBe(1);
    await Promise.all([first.close(), second.close()]);
  });

  it('takes over from a leader that stopped renewing once its lease expires', async () => {
    const leases = new FakeLeases();
    const [a, b] = [upstream(), upstream()];
    const dead = new ClusterTopics(a.source, hub, leases.connections(), 'mdg', 'a', leaseMs);
    dead.acquire('crypto.price', 'BTC');
    await vi.advanceTimersByTimeAsync(0);
    expect(a.followed.size).toBe(1);
    // The leader's process freezes: its timers stop, its lease is not renewed.
    await dead.close();
    leases.entries.set('mdg:stream:lease:crypto.price:BTC', { holder: 'a', expiresAt: Date.now() + leaseMs });
    const survivor = new ClusterTopics(b.source, hub, leases.connections(), 'mdg', 'b', leaseMs);
    survivor.acquire('crypto.price', 'BTC');
    await vi.advanceTimersByTimeAsync(leaseMs - 100);
    expect(b.followed.size).toBe(0);
    await vi.advanceTimersByTimeAsync(leaseMs / 3 + 100);
    expect(b.followed.size).toBe(1);
    await survivor.close();
  });

  it('leads its own topics while Redis is unreachable', async () => {
    const leases = new FakeLeases();
    leases.ready = false;
    const { a, b, first, second } = twoInstances(leases);
    first.acquire('stocks.quote', 'MSFT');
    second.acquire('stocks.quote', 'MSFT');
    await vi.advanceTimersByTimeAsync(0);
    expect(a.followed.size + b.followed.size).toBe(2);
    // Redis is back: the leases sort it out, one leader again.
    leases.ready = true;
    await vi.advanceTimersByTimeAsync(leaseMs / 3);
    expect(a.followed.size + b.followed.size).toBe(1);
    await Promise.all([first.close(), second.close()]);
  });
});
