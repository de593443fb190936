import type { VendorRuntime } from './registry.js';
import type { AttemptOutcome } from '../core/outcomes.js';
import { TransportError } from '../transport/vendor-client.js';
import { isQueueOverflow } from '../resilience/limiter.js';

export interface ProbeResult {
  outcome: AttemptOutcome;
  ms: number;
  detail?: string;
}

/**
 * One call to the vendor's cheap health endpoint, outside its breaker (a probe observes the vendor; it must not trip
 * or close the breaker live traffic relies on) and always inside its limiter: even an unbilled endpoint counts against
 * the vendor's rate limit. Vendors with no cheap endpoint answer `unsupported`.
 */
export async function probeVendor(vendor: VendorRuntime): Promise<ProbeResult> {
  const request = vendor.adapter.healthCheck;
  if (!request) return { outcome: 'unsupported', ms: 0, detail: 'no free health endpoint; passive detection only' };
  const { timeoutMs } = vendor.config.healthCheck;
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  const send = () => vendor.client.send(request, AbortSignal.timeout(timeoutMs));
  try {
    const refusal = await vendor.limiter.admit(timeoutMs);
    if (refusal) return { outcome: 'quota-skip', ms: 0, detail: refusal.reason };
    const reply = await vendor.limiter.schedule('low', send);
    const failure = vendor.adapter.classifyFailure(reply);
    if (failure) return { outcome: failure.kind, ms: elapsed(), detail: failure.detail };
    if (reply.status >= 300) return { outcome: 'unavailable', ms: elapsed(), detail: `HTTP ${reply.status}` };
    return { outcome: 'ok', ms: elapsed() };
  } catch (error) {
    if (error instanceof TransportError) return { outcome: error.kind, ms: elapsed(), detail: error.code };
    if (isQueueOverflow(error)) return { outcome: 'quota-skip', ms: elapsed(), detail: 'queue-full' };
    throw error;
  }
}

/** A probe result that says something about the vendor; quota skips and missing endpoints do not. */
export function isHealthSignal(result: ProbeResult): boolean {
  return result.outcome !== 'quota-skip' && result.outcome !== 'unsupported';
}

/**
 * Polls every vendor that has a health endpoint and has checks enabled, each on its own interval, the first probe at a
 * random point of the first interval so vendors are not all probed at once. Each result is recorded in the vendor's
 * stats (the score's uptime part) and handed to `onResult`.
 */
export class ActiveHealthChecks {
  private readonly timers: NodeJS.Timeout[] = [];
  private stopped = false;

  constructor(
    private vendors: readonly VendorRuntime[],
    private readonly onResult: (vendor: VendorRuntime, result: ProbeResult) => void,
    private readonly random: () => number = Math.random,
  ) {}

  start(): void {
    this.stopped = false;
    for (const vendor of this.vendors) {
      const { enabled, intervalMs } = vendor.config.healthCheck;
      if (!enabled || !vendor.adapter.healthCheck) continue;
      const first = setTimeout(
        () => {
          void this.probe(vendor);
          const every = setInterval(() => void this.probe(vendor), intervalMs);
          every.unref();
          this.timers.push(every);
        },
        Math.floor(this.random() * intervalMs),
      );
      first.unref();
      this.timers.push(first);
    }
  }

  /** Probes one vendor now and records the result; also what the interval runs. */
  async probe(vendor: VendorRuntime): Promise<ProbeResult> {
    const result = await probeVendor(vendor);
    if (!this.stopped && isHealthSignal(result)) {
      vendor.stats.probed(result.outcome, result.ms, result.detail);
      this.onResult(vendor, result);
    }
    return result;
  }

  /** Probes `vendors` from now on (a reload's), each first probed at a random point of its interval again. */
  restart(vendors: readonly VendorRuntime[]): void {
    this.stop();
    this.vendors = vendors;
    this.start();
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.length = 0;
  }
}
