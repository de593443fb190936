import type { GatewayConfig } from '../config/schema.js';
import type { Router } from '../routing/router.js';
import type { VendorRegistry } from '../vendors/registry.js';

/** Everything a request routes with, fixed for its life: the configuration in use, its vendors and its router. */
export interface GatewaySnapshot {
  readonly config: GatewayConfig;
  readonly registry: VendorRegistry;
  readonly router: Router;
}

/**
 * The snapshot new requests start on, swapped whole by a configuration reload. A request takes the current snapshot
 * when it starts (`use`) and keeps it to the end, so it finishes on the configuration it started with; a retired
 * snapshot's vendor resources are closed once its last request is done (`drained`).
 */
export class LiveSnapshot {
  private snapshot: GatewaySnapshot;
  private readonly inUse = new Map<GatewaySnapshot, { requests: number; drained: (() => void)[] }>();

  constructor(initial: GatewaySnapshot) {
    this.snapshot = initial;
  }

  get current(): GatewaySnapshot {
    return this.snapshot;
  }

  /** Runs `work` on the current snapshot, which stays in use until `work` settles. */
  async use<T>(work: (snapshot: GatewaySnapshot) => Promise<T>): Promise<T> {
    const snapshot = this.snapshot;
    const usage = this.inUse.get(snapshot) ?? { requests: 0, drained: [] };
    usage.requests += 1;
    this.inUse.set(snapshot, usage);
    try {
      return await work(snapshot);
    } finally {
      usage.requests -= 1;
      if (usage.requests === 0) {
        this.inUse.delete(snapshot);
        for (const resolve of usage.drained) resolve();
      }
    }
  }

  /** Makes `next` current and returns the snapshot it replaces. */
  swap(next: GatewaySnapshot): GatewaySnapshot {
    const previous = this.snapshot;
    this.snapshot = next;
    return previous;
  }

  /** Requests running on `snapshot` now. */
  requestsOn(snapshot: GatewaySnapshot): number {
    return this.inUse.get(snapshot)?.requests ?? 0;
  }

  /** Resolves once no request runs on `snapshot` (at once when none does). */
  drained(snapshot: GatewaySnapshot): Promise<void> {
    const usage = this.inUse.get(snapshot);
    if (!usage) return Promise.resolve();
    return new Promise((resolve) => usage.drained.push(resolve));
  }
}
