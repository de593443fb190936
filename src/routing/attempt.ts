import type { RoutingConfig } from '../config/schema.js';
import type { Capability, QueryOf, ResultOf } from '../core/index.js';
import type { VendorRuntime } from '../vendors/registry.js';
import { CountedFailure, isBreakerRejection } from '../resilience/breaker.js';
import { defaultCooldownMs, maxCooldownMs } from '../resilience/cooldown.js';
import type { Deadline } from '../resilience/deadline.js';
import { isHedgeCancel } from '../resilience/hedging.js';
import { isQueueOverflow, type Priority } from '../resilience/limiter.js';
import { withRetry } from '../resilience/retry.js';
import { untilAborted } from '../resilience/abort.js';
import { countsAgainstVendor, type AttemptOutcome, type AttemptRecord } from '../core/outcomes.js';
import type { RouterEventEmitter } from '../core/events.js';
import { callVendor, type VendorCallOutcome } from './vendor-call.js';

export interface AttemptResult<C extends Capability> {
  record: AttemptRecord;
  result?: ResultOf<C>;
}

interface AttemptInput<C extends Capability> {
  vendor: VendorRuntime;
  capability: C;
  query: QueryOf<C>;
  deadline: Deadline;
  priority: Priority;
  events: RouterEventEmitter;
  retry: RoutingConfig['retry'];
  /** The router cancels an attempt that lost a hedge (reason HedgeCancel). */
  cancel?: AbortSignal;
}

/**
 * One try at one vendor, layered outside in: quota pre-check → limiter (queue, spacing, windows) → breaker (counts
 * only the vendor's own health) → the call with its own deadline signal. Every path ends in an AttemptRecord.
 */
export async function attempt<C extends Capability>(input: AttemptInput<C>): Promise<AttemptResult<C>> {
  const { vendor, deadline, events } = input;
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;

  const refusal = await vendor.limiter.refusal(deadline.remainingMs());
  if (refusal) {
    if (refusal.reason === 'quota-exhausted' && refusal.newlyExhausted) {
      events.emit('quotaExhausted', { provider: vendor.name, window: refusal.window });
    }
    const detail = refusal.reason === 'quota-exhausted' ? `${refusal.window} quota spent` : refusal.reason;
    return { record: { provider: vendor.name, outcome: 'quota-skip', ms: elapsed(), detail } };
  }

  const budget = deadline.attemptSignal(vendor.config.timeoutMs, input.cancel);
  const { signal } = budget;
  vendor.stats.started();
  const queue = { waitedMs: 0 };
  let outcome: Settled<C>;
  try {
    outcome = await runWithinQuota(input, signal, queue);
  } finally {
    budget.end();
  }
  const ms = elapsed();
  const record: AttemptRecord = { provider: vendor.name, outcome: outcome.outcome, ms };
  if (outcome.outcome !== 'ok') record.detail = outcome.detail;
  const failed = countsAgainstVendor(outcome.outcome);
  vendor.stats.finished(outcome.outcome, ms, failed, record.detail);
  events.emit('callFinished', {
    provider: vendor.name,
    capability: input.capability,
    outcome: outcome.outcome,
    ms,
    queuedMs: queue.waitedMs,
    failed,
  });

  if (outcome.outcome === 'rate-limited') {
    const restMs = Math.min(maxCooldownMs, outcome.retryAfterMs ?? defaultCooldownMs);
    vendor.cooldown.start(restMs);
    events.emit('cooldownStarted', {
      provider: vendor.name,
      until: vendor.cooldown.endsAt() ?? '',
      retryAfterMs: restMs,
    });
  }
  return outcome.outcome === 'ok' ? { record, result: outcome.result } : { record };
}

type Settled<C extends Capability> =
  | VendorCallOutcome<C>
  | { outcome: Extract<AttemptOutcome, 'breaker-open' | 'quota-skip' | 'timeout' | 'aborted'>; detail: string };

/** Runs the call inside the vendor's limiter and breaker; `queue.waitedMs` tells how long it waited for its slot. */
async function runWithinQuota<C extends Capability>(
  input: AttemptInput<C>,
  signal: AbortSignal,
  queue: { waitedMs: number },
): Promise<Settled<C>> {
  const { vendor, capability, query, priority } = input;
  let started = false;
  const queuedAt = performance.now();
  const scheduled = vendor.limiter.schedule(priority, async (): Promise<Settled<C>> => {
    queue.waitedMs = Math.round((performance.now() - queuedAt) * 10) / 10;
    // The deadline may pass while the job waits in the queue: then never call the vendor late.
    if (signal.aborted) return abortedOutcome(signal, 'deadline passed in the queue');
    started = true;
    const settled = await vendor.breaker.fire(async () => {
      const call = () => callVendor(vendor.adapter, vendor.client, capability, query, signal);
      const result = slowHedgeLoss(await withRetry(call, input.retry, signal), signal);
      if (countsAgainstVendor(result.outcome)) throw new CountedFailure(result);
      return result;
    });
    return settled as VendorCallOutcome<C>;
  });
  try {
    // Once the call has started, the same signal aborts it and it settles with its own outcome.
    // Bottleneck cannot cancel a queued job: stop waiting instead; the job, when it runs, sees the aborted signal.
    return await untilAborted(scheduled, signal, () => (started ? null : (signal.reason as Error)));
  } catch (error) {
    if (error instanceof CountedFailure) return error.outcome as VendorCallOutcome<C>;
    if (isBreakerRejection(error)) return { outcome: 'breaker-open', detail: 'breaker open' };
    if (isQueueOverflow(error)) return { outcome: 'quota-skip', detail: 'queue-full' };
    if ((error as { code?: unknown }).code === 'ETIMEDOUT') return { outcome: 'timeout', detail: 'breaker timeout' };
    if (signal.aborted) return abortedOutcome(signal, 'waiting for a quota slot');
    throw error;
  }
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
