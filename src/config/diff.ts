import type { GatewayConfig } from './schema.js';

/**
 * Key paths a running gateway cannot take over without a restart: what the listener, the store connection, client
 * auth, the event streams, the live streams (docs/streaming.md), webhooks and the watcher were built from, and the cache's size (its LRU is sized once).
 * Every other key (routing, providers, cache freshness) is applied by a reload. A path covers everything under it.
 */
export const restartOnlyPaths: readonly string[] = [
  'server',
  'auth',
  'store',
  'events',
  'alerts',
  'reload',
  'stream',
  'cache.maxEntries',
  'cache.maxBytes',
  'cache.notFoundTtlMs',
];

/** What a reload changes, as key paths only: values are never listed, so no key or keyed URL can leak through it. */
export interface ConfigDiff {
  /** Paths whose new value is now in use. */
  applied: string[];
  /** Paths whose new value waits for a restart; the running gateway keeps the old one. */
  needsRestart: string[];
}

export function isRestartOnly(path: string): boolean {
  return restartOnlyPaths.some((prefix) => path === prefix || path.startsWith(`${prefix}.`));
}

/** The changed leaf paths between two configurations, split into applied and needing a restart, each sorted. */
export function diffConfigs(previous: GatewayConfig, next: GatewayConfig): ConfigDiff {
  const changed = changedPaths(previous, next, '').sort();
  return {
    applied: changed.filter((path) => !isRestartOnly(path)),
    needsRestart: changed.filter((path) => isRestartOnly(path)),
  };
}

/**
 * `next` as the running gateway will use it: every restart-only path keeps its value from `running`, so the gateway
 * keeps describing itself truthfully and the next reload still reports those paths as waiting for a restart.
 */
export function withRestartOnlyFrom(running: GatewayConfig, next: GatewayConfig): GatewayConfig {
  const effective = structuredClone(next);
  for (const path of restartOnlyPaths) {
    const keys = path.split('.');
    const last = keys.pop() as string;
    const source = descend(running, keys);
    const target = descend(effective, keys);
    if (!source || !target) continue;
    target[last] = structuredClone(source[last]);
  }
  return effective;
}

function descend(root: object, keys: readonly string[]): Record<string, unknown> | undefined {
  let node: unknown = root;
  for (const key of keys) node = isRecord(node) ? node[key] : undefined;
  return isRecord(node) ? node : undefined;
}

/** Leaf paths that differ; a list is one leaf (its order matters: capabilities, keys, webhooks). */
function changedPaths(previous: unknown, next: unknown, path: string): string[] {
  if (isRecord(previous) && isRecord(next)) {
    const keys = new Set([...Object.keys(previous), ...Object.keys(next)]);
    return [...keys].flatMap((key) => changedPaths(previous[key], next[key], path ? `${path}.${key}` : key));
  }
  return sameValue(previous, next) ? [] : [path];
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => changedPaths(item, b[index], '').length === 0);
  }
  if (isRecord(a) && isRecord(b)) return changedPaths(a, b, '').length === 0;
  return Object.is(a, b);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
