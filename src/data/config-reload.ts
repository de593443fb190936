import { unwatchFile, watchFile, type Stats } from 'node:fs';
import { diffConfigs, withRestartOnlyFrom, type ConfigDiff } from '../config/diff.js';
import { ConfigError } from '../config/load.js';
import type { GatewayConfig, ReloadConfig } from '../config/schema.js';
import type { ReloadTrigger, RouterEventEmitter } from '../core/events.js';
import type { ProviderAdapter } from '../core/index.js';
import { VendorRegistry } from '../vendors/registry.js';
import type { GatewaySnapshot, LiveSnapshot } from './snapshot.js';

interface WatchedFile {
  path: string;
  listener: (current: Stats, previous: Stats) => void;
  /** The debounce: a reload waits for the file to be quiet. */
  timer?: NodeJS.Timeout;
}

export interface ConfigReloaderOptions {
  live: LiveSnapshot;
  /** Reads and validates the configuration file again, through the start-up pipeline; throws ConfigError. */
  load: () => GatewayConfig;
  adapters: readonly ProviderAdapter[];
  events: RouterEventEmitter;
  /** Applies to what lives outside the snapshot (cache freshness, health checks) once `next` is current. */
  onSwapped: (next: GatewaySnapshot) => void;
}

/**
 * Hot reload (docs/operations.md#reloading-the-configuration): load and validate the whole file, then swap the snapshot
 * new requests start on in one assignment. A file that does not validate changes nothing: the running configuration
 * stays and `configRejected` says why. Reloads run one at a time, in the order they were asked for.
 */
export class ConfigReloader {
  private queue: Promise<unknown> = Promise.resolve();
  /** Snapshots swapped out whose requests have not all finished: their vendor resources are still in use. */
  private readonly retired = new Set<GatewaySnapshot>();
  private watched: WatchedFile | null = null;

  constructor(private readonly options: ConfigReloaderOptions) {}

  /** Reloads now; resolves with what changed, or rejects with the ConfigError that kept the running configuration. */
  reload(trigger: ReloadTrigger): Promise<ConfigDiff> {
    const run = this.queue.then(() => this.reloadNow(trigger));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Reloads when the file changes, `debounceMs` after the last change seen. It polls the file's stat, which, unlike an
   * inotify watch on the file, survives editors that save by rename and Kubernetes' symlink swap of a ConfigMap.
   */
  watch(path: string, settings: ReloadConfig): void {
    if (this.watched) return;
    const watched: WatchedFile = {
      path,
      listener: (current, previous) => {
        if (current.mtimeMs === previous.mtimeMs && current.size === previous.size && current.ino === previous.ino) {
          return;
        }
        clearTimeout(watched.timer);
        watched.timer = setTimeout(() => {
          // A rejected file is already logged and streamed as configRejected.
          this.reload('file').catch(() => undefined);
        }, settings.debounceMs);
      },
    };
    watchFile(path, { interval: settings.pollIntervalMs, persistent: false }, watched.listener);
    this.watched = watched;
  }

  /** Stops watching, lets a running reload finish, and closes the vendor resources of every snapshot. */
  async close(): Promise<void> {
    if (this.watched) {
      clearTimeout(this.watched.timer);
      unwatchFile(this.watched.path, this.watched.listener);
      this.watched = null;
    }
    await this.queue;
    for (const snapshot of this.retired) await this.options.live.drained(snapshot);
    await this.options.live.current.registry.close();
  }

  private async reloadNow(trigger: ReloadTrigger): Promise<ConfigDiff> {
    const { live, events } = this.options;
    let loaded: GatewayConfig;
    try {
      loaded = this.options.load();
    } catch (error) {
      if (error instanceof ConfigError) events.emit('configRejected', { trigger, problems: error.problems });
      throw error;
    }
    const previous = live.current;
    const diff = diffConfigs(previous.config, loaded);
    if (diff.applied.length > 0) await this.swapTo(withRestartOnlyFrom(previous.config, loaded));
    events.emit('configReloaded', { trigger, ...diff });
    return diff;
  }

  /** Builds the snapshot for `config`, makes it current, and retires the previous one. */
  private async swapTo(config: GatewayConfig): Promise<void> {
    const { live, adapters, events } = this.options;
    const previous = live.current;
    const registry = await VendorRegistry.reloaded(previous.registry, config, adapters, events);
    const next: GatewaySnapshot = { config, registry, router: previous.router.reconfigured(registry, config.routing) };
    live.swap(next);
    previous.router.detach();
    this.options.onSwapped(next);
    this.retired.add(previous);
    void live.drained(previous).then(() => this.closeRetired(previous));
  }

  /** Closes what `snapshot` used that neither the current snapshot nor another still-running one uses. */
  private async closeRetired(snapshot: GatewaySnapshot): Promise<void> {
    this.retired.delete(snapshot);
    const inUse = [this.options.live.current, ...this.retired].map((other) => other.registry);
    await snapshot.registry.closeUnusedBy(inUse);
  }
}
