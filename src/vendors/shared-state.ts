import type { RouterEventEmitter, StreamedEvent } from '../core/events.js';
import type { RedisConnections } from '../store/redis.js';
import type { VendorRegistry, VendorRuntime } from './registry.js';

type Rest = 'cooldown' | 'ejected';

/**
 * Makes what one instance learns about a vendor binding on every instance: a 429 rest (cooldown) and a breaker that
 * opened, by a run of gateway failures or by the percentage (the others then avoid the vendor for the breaker's reset
 * time, until it closes again). Two paths, because each covers the other's gap:
 * - the router events every instance already publishes on Redis pub/sub reach the others within milliseconds
 *   (`applyRemote`, fed by the event hub with other instances' events);
 * - a key per vendor and rest, set with the same expiry (SET PX), is read every `intervalMs`, for an instance that
 *   starts, or whose subscriber reconnects, while a rest is on.
 * Without Redis there is one instance and nothing to share.
 */
export class SharedVendorState {
  private readonly timer: NodeJS.Timeout;

  constructor(
    /** The registry in use now: a configuration reload replaces it. */
    private readonly registry: () => VendorRegistry,
    private readonly redis: RedisConnections,
    private readonly keyPrefix: string,
    private readonly instance: string,
    events: RouterEventEmitter,
    intervalMs: number,
    private readonly clock: () => number = Date.now,
  ) {
    events.on('cooldownStarted', ({ provider, until }) => this.publish(provider, 'cooldown', Date.parse(until)));
    events.on('breakerOpened', ({ provider }) => {
      const vendor = this.vendor(provider);
      if (vendor) this.publish(provider, 'ejected', this.clock() + vendor.config.breaker.resetTimeoutMs);
    });
    events.on('breakerClosed', ({ provider }) => {
      if (this.redis.isReady()) this.redis.command.del(this.key(provider, 'ejected')).catch(() => undefined);
    });
    this.timer = setInterval(() => void this.catchUp(), intervalMs);
    this.timer.unref();
    void this.catchUp();
  }

  /** Another instance's router event, as it arrives over pub/sub. */
  applyRemote(event: StreamedEvent): void {
    if (event.instance === this.instance) return;
    const vendor = 'provider' in event.payload ? this.vendor(event.payload.provider) : undefined;
    if (!vendor) return;
    if (event.name === 'cooldownStarted' && 'until' in event.payload) {
      this.rest(vendor, 'cooldown', Date.parse(event.payload.until));
    } else if (event.name === 'breakerOpened') {
      this.rest(vendor, 'ejected', this.clock() + vendor.config.breaker.resetTimeoutMs);
    } else if (event.name === 'breakerClosed') {
      vendor.ejectedElsewhere.clear();
    }
  }

  close(): void {
    clearInterval(this.timer);
  }

  /** Reads every vendor's rest keys: what pub/sub may not have delivered to this instance. */
  async catchUp(): Promise<void> {
    if (!this.redis.isReady()) return;
    const vendors = this.registry().enabled;
    const rests: Rest[] = ['cooldown', 'ejected'];
    const keys = vendors.flatMap((vendor) => rests.map((rest) => this.key(vendor.name, rest)));
    if (keys.length === 0) return;
    const values = await this.redis.command.mget(...keys).catch(() => []);
    values.forEach((value, index) => {
      const vendor = vendors[Math.floor(index / rests.length)];
      const [until, from] = (value ?? '').split(' ');
      if (vendor && from && from !== this.instance)
        this.rest(vendor, rests[index % rests.length] as Rest, Number(until));
    });
  }

  private rest(vendor: VendorRuntime, rest: Rest, untilMs: number): void {
    const ms = untilMs - this.clock();
    if (!(ms > 0)) return;
    (rest === 'cooldown' ? vendor.cooldown : vendor.ejectedElsewhere).start(ms);
  }

  private publish(provider: string, rest: Rest, untilMs: number): void {
    const ms = Math.round(untilMs - this.clock());
    if (!(ms > 0) || !this.redis.isReady()) return;
    // Fire and forget: a Redis that is away costs the others only the catch-up, never this request.
    this.redis.command.set(this.key(provider, rest), `${untilMs} ${this.instance}`, 'PX', ms).catch(() => undefined);
  }

  private vendor(name: string): VendorRuntime | undefined {
    return this.registry().find(name)?.runtime ?? undefined;
  }

  private key(vendor: string, rest: Rest): string {
    return `${this.keyPrefix}:vendor:${vendor}:${rest}`;
  }
}
