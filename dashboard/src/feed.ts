import type { RouterEvents, StreamedEvent, StreamedEventName } from '../../src/core/events.js';

/** Events the feed keeps, newest first. */
export const feedLength = 100;

/** Alerts deserve a colour: a vendor leaving service or no vendor left. */
export const alarming: ReadonlySet<StreamedEventName> = new Set([
  'breakerOpened',
  'noHealthyProviders',
  'quotaExhausted',
  'budgetExhausted',
  'configRejected',
]);

/** Spend sums costs per call: two decimals, without float noise. */
const money = (amount: number) => String(Math.round(amount * 100) / 100);

type Describe = { [E in StreamedEventName]: (payload: RouterEvents[E]) => string };

const describers: Describe = {
  failover: (p) => `${p.capability}: ${p.from} → ${p.to} (${p.reason})`,
  breakerOpened: (p) => `${p.provider}: breaker opened`,
  breakerHalfOpen: (p) => `${p.provider}: breaker half-open, trying one call`,
  breakerClosed: (p) => `${p.provider}: breaker closed`,
  providerHealthChanged: (p) =>
    `${p.provider}: ${p.from} → ${p.to}${p.reasons.length ? ` (${p.reasons.join(', ')})` : ''}`,
  quotaExhausted: (p) => `${p.provider}: ${p.window} quota exhausted`,
  budgetWarning: (p) => `${p.provider}: 80 % of the ${p.period} budget spent (${money(p.spent)} of ${p.limit})`,
  budgetExhausted: (p) =>
    `${p.provider}: ${p.period} budget spent (${money(p.spent)} of ${p.limit}), skipped until it resets`,
  cooldownStarted: (p) => `${p.provider}: 429, resting ${Math.round(p.retryAfterMs / 1000)} s`,
  noHealthyProviders: (p) => `${p.capability}: no vendor could take the request`,
  configReloaded: (p) =>
    `configuration reloaded (${p.trigger}): ${p.applied.length} keys applied` +
    (p.needsRestart.length ? `, ${p.needsRestart.length} wait for a restart` : ''),
  configRejected: (p) => `configuration reload (${p.trigger}) rejected: ${p.problems.join('; ')}`,
  streamFailover: (p) => `live ${p.channel}: ${p.from} → ${p.to} (${p.reason})`,
};

export function describeEvent(event: StreamedEvent): string {
  const describe = describers[event.name] as (payload: StreamedEvent['payload']) => string;
  return describe(event.payload);
}

/** Events from other instances and replays after a reconnect may repeat: one entry per instance and id. */
export function addToFeed(feed: readonly StreamedEvent[], event: StreamedEvent): StreamedEvent[] {
  if (feed.some((seen) => seen.id === event.id && seen.instance === event.instance && seen.at === event.at)) {
    return feed as StreamedEvent[];
  }
  return [event, ...feed].slice(0, feedLength);
}
