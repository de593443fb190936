import type { StreamChannel } from '../core/index.js';
import type { RedisConnections } from '../store/redis.js';
import type { StreamHub, TopicSource } from './hub.js';
import { topicKey, type StreamUpdate } from './topics.js';

/** Takes the lease when it is free or already ours (renewing it); 1 when this instance now leads. */
const claimScript = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not holder then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;
/** Gives the lease up only if it is still ours (it may have expired and gone to another instance). */
const releaseScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

interface ClusterTopic {
  channel: StreamChannel;
  symbol: string;
  leader: boolean;
}

interface RelayedUpdate {
  instance: string;
  update: StreamUpdate;
}

/**
 * One upstream subscription per symbol across instances (docs/streaming.md#cluster). For each topic some instance
 * follows, the instances race for a lease (`<prefix>:stream:lease:<topic>`, SET NX with a TTL, renewed a third of the
 * way through it by a Lua compare-and-renew); the leader asks its own upstream sources for the topic and publishes
 * every update on `<prefix>:stream:<topic>`, where the followers pick it up and fan it out to their subscribers. A
 * leader that stops following a topic (its last subscriber left), closes or dies loses the lease; a follower takes it
 * at its next try, within a third of `leaseMs` after a release, `leaseMs` after a crash. Without a ready Redis every
 * instance leads its own topics (updates keep flowing, one upstream subscription per instance) until Redis is back and
 * the leases sort it out again.
 */
export class ClusterTopics implements TopicSource {
  private readonly topics = new Map<string, ClusterTopic>();
  private readonly timer: NodeJS.Timeout;
  private readonly channelPrefix: string;
  private readonly onMessage = (channel: string, text: string) => this.relay(channel, text);

  constructor(
    private readonly upstream: TopicSource,
    private readonly hub: StreamHub,
    private readonly redis: RedisConnections,
    keyPrefix: string,
    private readonly instance: string,
    private readonly leaseMs: number,
  ) {
    this.channelPrefix = `${keyPrefix}:stream:`;
    this.redis.subscriber.on('message', this.onMessage);
    this.timer = setInterval(() => void this.claimAll(), Math.max(100, Math.floor(leaseMs / 3)));
    this.timer.unref();
  }

  acquire(channel: StreamChannel, symbol: string): void {
    const topic = topicKey(channel, symbol);
    if (this.topics.has(topic)) return;
    const entry: ClusterTopic = { channel, symbol, leader: false };
    this.topics.set(topic, entry);
    this.redis.subscriber.subscribe(this.channelPrefix + topic).catch(() => undefined);
    void this.claim(topic, entry);
  }

  release(channel: StreamChannel, symbol: string): void {
    const topic = topicKey(channel, symbol);
    const entry = this.topics.get(topic);
    if (!entry) return;
    this.topics.delete(topic);
    this.redis.subscriber.unsubscribe(this.channelPrefix + topic).catch(() => undefined);
    if (entry.leader) void this.stepDown(topic, entry);
  }

  /** An update from this instance's own sources (it leads the topic): fanned out here and to the followers. */
  publish(update: StreamUpdate): void {
    this.hub.publish(update);
    if (!this.redis.isReady()) return;
    const message: RelayedUpdate = { instance: this.instance, update };
    const topic = topicKey(update.channel, update.symbol);
    this.redis.command.publish(this.channelPrefix + topic, JSON.stringify(message)).catch(() => undefined);
  }

  /** Topics this instance leads. */
  get leading(): number {
    let count = 0;
    for (const entry of this.topics.values()) if (entry.leader) count += 1;
    return count;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.redis.subscriber.off('message', this.onMessage);
    const releases = [...this.topics].map(([topic, entry]) => {
      this.topics.delete(topic);
      return entry.leader ? this.stepDown(topic, entry) : Promise.resolve();
    });
    await Promise.all(releases);
  }

  private async claimAll(): Promise<void> {
    await Promise.all([...this.topics].map(([topic, entry]) => this.claim(topic, entry)));
  }

  private async claim(topic: string, entry: ClusterTopic): Promise<void> {
    let leads: boolean;
    if (!this.redis.isReady()) {
      leads = true;
    } else {
      try {
        const result = await this.redis.command.eval(claimScript, 1, this.leaseKey(topic), this.instance, this.leaseMs);
        leads = result === 1;
      } catch {
        return; // a slow or lost command: keep the role until the next try
      }
    }
    if (this.topics.get(topic) !== entry || leads === entry.leader) return;
    entry.leader = leads;
    if (leads) this.upstream.acquire(entry.channel, entry.symbol);
    else this.upstream.release(entry.channel, entry.symbol);
  }

  private async stepDown(topic: string, entry: ClusterTopic): Promise<void> {
    entry.leader = false;
    this.upstream.release(entry.channel, entry.symbol);
    if (!this.redis.isReady()) return;
    await this.redis.command.eval(releaseScript, 1, this.leaseKey(topic), this.instance).catch(() => undefined);
  }

  private relay(channel: string, text: string): void {
    if (!channel.startsWith(this.channelPrefix)) return;
    const entry = this.topics.get(channel.slice(this.channelPrefix.length));
    if (!entry || entry.leader) return;
    let message: RelayedUpdate;
    try {
      message = JSON.parse(text) as RelayedUpdate;
    } catch {
      return;
    }
    if (message.instance !== this.instance) this.hub.publish(message.update);
  }

  private leaseKey(topic: string): string {
    return `${this.channelPrefix}lease:${topic}`;
  }
}
