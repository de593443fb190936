import type { RoutingConfig } from '../config/schema.js';
import type { Capability, QueryOf, ResultOf } from '../core/index.js';
import type { RouterEventEmitter } from '../core/events.js';
import { countsAgainstVendor, type AttemptOutcome, type AttemptRecord } from '../core/outcomes.js';
import { untilAborted } from '../resilience/abort.js';
import { runThroughBreaker } from '../resilience/breaker.js';
import { defaultCooldownMs, maxCooldownMs } from '../resilience/cooldown.js';
import type { Deadline } from '../resilience/deadline.js';
import { isHedgeCancel } from '../resilience/hedging.js';
import { isQueueOverflow, type Priority } from '../resilience/limiter.js';
import { withRetry } from '../resilience/retry.js';
import type { VendorRuntime } from '../vendors/registry.js';
import { callVendor, type VendorCallOutcome } from './vendor-call.js';

export interface AttemptResult<C extends Capability> {
  record: AttemptRecord;
  result?: ResultOf<C>;
  /** A spent quota window: when it next has room, for the 503's Retry-After. */
  retryAfterMs?: number;
}

export interface AttemptInput<C extends Capability> {
  vendor: VendorRuntime;
  capability: C;
  query: QueryOf<C>;
  deadline: Deadline;
  priority: Priority;
  events: RouterEventEmitter;
  retry: RoutingConfig['retry'];
  /**
   * The failover race's controller for this attempt: the race aborts it (reason HedgeCancel) when the attempt lost a
   * hedge, and the attempt's signal is built on it (Deadline.attemptSignal).
   */
  cancel?: AbortController;
}

/** What one attempt came to, before it is recorded. */
type Settled<C extends Capability> =
  | VendorCallOutcome<C>
  | { outcome: Extract<AttemptOutcome, 'breaker-open' | 'quota-skip' | 'timeout' | 'aborted'>; detail: string };

/**
 * One try at one vendor, in order: quota slot → breaker → call (with its retry) → classify → record. Every step hands
 * the next a value, and every path ends in an AttemptRecord: an attempt never throws, so the in-flight count it took
 * is always given back and the failover race always hears how it ended.
 */
export async function attempt<C extends Capability>(input: AttemptInput<C>): Promise<AttemptResult<C>> {
  const started = performance.now();
  const refusal = await quotaRefusal(input);
  if (refusal) {
    const record: AttemptRecord = {
      provider: input.vendor.name,
      outcome: 'quota-skip',
      ms: elapsedSince(started),
      detail: refusal.detail,
    };
    return refusal.retryAfterMs === undefined ? { record } : { record, retryAfterMs: refusal.retryAfterMs };
  }

  const budget = input.deadline.attemptSignal(input.vendor.config.timeoutMs, input.cancel);
  input.vendor.stats.started();
  const queue = { waitedMs: 0 };
  let settled: Settled<C>;
  try {
    settled = await inQuotaSlot(input, budget.signal, queue);
  } catch (error) {
    settled = unexpected(error);
  } finally {
    budget.end();
  }
  return record(input, settled, elapsedSince(started), queue.waitedMs);
}

/**
 * Step 1: a quota token for the call. A spent quota window, a full queue or a wait longer than the deadline means
 * "next vendor", not "wait".
 */
async function quotaRefusal(
  input: AttemptInput<Capability>,
): Promise<{ detail: string; retryAfterMs?: number } | null> {
  const { vendor, deadline, events } = input;
  const refusal = await vendor.limiter.admit(deadline.remainingMs());
  if (!refusal) return null;
  if (refusal.reason !== 'quota-exhausted') return { detail: refusal.reason };
  if (refusal.newlyExhausted) events.emit('quotaExhausted', { provider: vendor.name, window: refusal.window });
  return { detail: `${refusal.window} quota spent`, retryAfterMs: refusal.retryAfterMs };
}

/**
 * Steps 2–4, inside the vendor's limiter: the breaker, then the call with its retry; the breaker counts what the
 * engine's rule says counts (resilience/breaker.ts). `queue.waitedMs` tells how long the job waited for its slot.
 */
async function inQuotaSlot<C extends Capability>(
  input: AttemptInput<C>,
  signal: AbortSignal,
  queue: { waitedMs: number },
): Promise<Settled<C>> {
  const { vendor, capability, query } = input;
  let called = false;
  const queuedAt = performance.now();
  const job = vendor.limiter.schedule(input.priority, async (): Promise<Settled<C>> => {
    queue.waitedMs = elapsedSince(queuedAt);
    // The deadline may pass while the job waits in the queue: then never call the vendor late.
    if (signal.aborted) return abortedOutcome(signal, 'deadline passed in the queue');
    called = true;
    const call = async () => {
      // A retry is one more call the vendor counts: it needs a token of its own.
      const outcome = await withRetry(
        () => callVendor(vendor.adapter, vendor.client, capability, query, signal),
        input.retry,
        signal,
        () => vendor.limiter.admitNow(),
      );
      return slowHedgeLoss(outcome, signal);
    };
    const run = await runThroughBreaker(vendor.breaker, call, (outcome) => countsAgainstVendor(outcome.outcome));
    if (run.status === 'done') return run.value;
    if (run.status === 'rejected') return { outcome: 'breaker-open', detail: 'breaker open' };
    if (run.status === 'timed-out') return { outcome: 'timeout', detail: 'breaker timeout' };
    return unexpected(run.error);
  });
  try {
    // Once the call has started, the same signal aborts it and it settles with its own outcome. Bottleneck cannot
    // cancel a queued job: stop waiting instead; the job, when it runs, sees the aborted signal.
    return await untilAborted(job, signal, () => (called ? null : (signal.reason as Error)));
  } catch (error) {
    if (isQueueOverflow(error)) return { outcome: 'quota-skip', detail: 'queue-full' };
    if (signal.aborted) return abortedOutcome(signal, 'waiting for a quota slot');
    return unexpected(error);
  }
}

/** Step 5: the vendor's stats, the callFinished event, and a cooldown after a 429. */
function record<C extends Capability>(
  input: AttemptInput<C>,
  settled: Settled<C>,
  ms: number,
  queuedMs: number,
): AttemptResult<C> {
  const { vendor, events } = input;
  const entry: AttemptRecord = { provider: vendor.name, outcome: settled.outcome, ms };
  if (settled.outcome !== 'ok') entry.detail = settled.detail;
  const failed = countsAgainstVendor(settled.outcome);
  vendor.stats.finished(settled.outcome, ms, failed, entry.detail);
  events.emit('callFinished', {
    provider: vendor.name,
    capability: input.capability,
    outcome: settled.outcome,
    ms,
    queuedMs,
    failed,
  });
  // Fast hang ejection: a run of gateway failures opens the breaker now, rather than after the percentage window
  // fills, which takes seconds of slow answers at any rate (docs/configuration.md#routing).
  const { consecutiveFailures } = vendor.config.breaker;
  if (consecutiveFailures > 0 && vendor.stats.consecutiveGatewayFailures >= consecutiveFailures) {
    if (!vendor.breaker.opened) vendor.breaker.open();
  }
  if (settled.outcome === 'rate-limited') {
    const restMs = Math.min(maxCooldownMs, settled.retryAfterMs ?? defaultCooldownMs);
    vendor.cooldown.start(restMs);
    events.emit('cooldownStarted', {
      provider: vendor.name,
      until: vendor.cooldown.endsAt() ?? '',
      retryAfterMs: restMs,
    });
  }
  return settled.outcome === 'ok' ? { record: entry, result: settled.result } : { record: entry };
}

/**
 * An exception no step expected (a limiter or transport bug): recorded like an answer that does not fit our model,
 * so it counts against the vendor, fails over, and never becomes a 500.
 */
function unexpected(error: unknown): Settled<never> {
  const name = error instanceof Error ? error.name : typeof error;
  return { outcome: 'malformed', detail: `unexpected ${name}` };
}

function abortedOutcome(signal: AbortSignal, detail: string): Settled<never> {
  const reason: unknown = signal.reason;
  const timedOut = reason instanceof DOMException && reason.name === 'TimeoutError';
  if (isHedgeCancel(reason)) return { outcome: 'aborted', detail: `${reason.message} (${detail})` };
  return { outcome: timedOut ? 'timeout' : 'aborted', detail };
}

/** A call cancelled after it outran its hedge delay was too slow: it counts as a timeout, as a hang should. */
function slowHedgeLoss<C extends Capability>(result: VendorCallOutcome<C>, signal: AbortSignal): VendorCallOutcome<C> {
  const reason: unknown = signal.reason;
  if (result.outcome !== 'aborted' || !isHedgeCancel(reason)) return result;
  return { outcome: reason.slow ? 'timeout' : 'aborted', detail: reason.message };
}

function elapsedSince(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
