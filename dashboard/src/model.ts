import type { ProviderStatus } from '../../src/http/routes/providers.js';

export type { ProviderStatus };

/** Samples kept per vendor for the sparklines: 60 polls, two minutes at the default 2 s. */
export const historyLength = 60;

export interface VendorHistory {
  /** Seconds since the page opened, one per poll. */
  at: number[];
  p50Ms: (number | null)[];
  /** Calls per second this instance made to the vendor between two polls. */
  callsPerSecond: (number | null)[];
  lastCalls: number;
}

/** Adds one poll of /v1/providers to the per-vendor history, dropping the oldest beyond historyLength. */
export function recordPoll(
  history: ReadonlyMap<string, VendorHistory>,
  providers: readonly ProviderStatus[],
  atSeconds: number,
): Map<string, VendorHistory> {
  const next = new Map<string, VendorHistory>();
  for (const provider of providers) {
    const before = history.get(provider.name);
    const elapsed = before ? atSeconds - (before.at.at(-1) ?? atSeconds) : 0;
    const rate = before && elapsed > 0 ? Math.max(0, provider.calls - before.lastCalls) / elapsed : null;
    const keep = <T>(series: T[] | undefined, value: T) => [...(series ?? []), value].slice(-historyLength);
    next.set(provider.name, {
      at: keep(before?.at, atSeconds),
      p50Ms: keep(before?.p50Ms, provider.latencyMs.p50),
      callsPerSecond: keep(before?.callsPerSecond, rate),
      lastCalls: provider.calls,
    });
  }
  return next;
}

/** Why a vendor cannot take a request now, or null when it can: the same gates the router applies. */
export function unavailableBecause(provider: ProviderStatus, now = Date.now()): string | null {
  if (!provider.enabled) return provider.disabledReason ?? 'disabled';
  if (provider.breaker?.state === 'open') return 'breaker open';
  if (provider.ejectedUntil && Date.parse(provider.ejectedUntil) > now) return 'breaker open on another instance';
  if (provider.cooldownUntil && Date.parse(provider.cooldownUntil) > now) return 'resting after a 429';
  const spent = provider.quota.find((window) => window.remaining <= 0);
  if (spent) return `${spent.window} quota spent`;
  if (provider.health?.status === 'down') return 'down';
  return null;
}

/** Capabilities in a stable order, each with the vendors declaring it. */
export function coverage(providers: readonly ProviderStatus[]): [string, ProviderStatus[]][] {
  const byCapability = new Map<string, ProviderStatus[]>();
  for (const provider of providers) {
    for (const capability of provider.capabilities) {
      byCapability.set(capability, [...(byCapability.get(capability) ?? []), provider]);
    }
  }
  return [...byCapability.entries()].sort(([a], [b]) => a.localeCompare(b));
}

export function spendToday(provider: ProviderStatus): number {
  return Object.values(provider.usageToday).reduce((sum, usage) => sum + usage.cost, 0);
}

export const formatMs = (ms: number | null | undefined): string => (ms == null ? '–' : `${Math.round(ms)} ms`);

export const formatPercent = (ratio: number | null | undefined): string =>
  ratio == null ? '–' : `${(ratio * 100).toFixed(ratio < 0.1 && ratio > 0 ? 1 : 0)} %`;

export const formatMoney = (amount: number): string =>
  amount === 0 ? '$0' : amount < 0.01 ? `$${amount.toFixed(4)}` : `$${amount.toFixed(2)}`;

/** "12 s ago", "3 min ago": how long since an ISO time, for breaker and instance ages. */
export function ago(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}
