/**
 * Reconnect delay with "full jitter" (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/):
 * a random wait between 0 and base · 2^attempt, capped. Instances that lost a vendor at the same moment spread their
 * reconnects over the whole window instead of knocking together, which is what a vendor's connection limit wants.
 */
export function reconnectDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
