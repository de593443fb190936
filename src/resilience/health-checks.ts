import type { VendorRuntime } from '../registry/registry.js';
import { isQueueOverflow } from './limiter.js';
import type { AttemptOutcome } from '../routing/attempt-record.js';
import { TransportError } from '../transport/vendor-client.js';

export interface ProbeResult {
  outcome: AttemptOutcome;
  ms: number;
  detail?: string;
}

/**
 * One call to the vendor's cheap health endpoint, within its quota but outside its breaker (a probe should observe
 * the vendor, not trip the breaker for live traffic). Vendors with no free endpoint answer `unsupported`.
 */
export async function probeVendor(vendor: VendorRuntime): Promise<ProbeResult> {
  const request = vendor.adapter.healthCheck;
  if (!request) return { outcome: 'unsupported', ms: 0, detail: 'no free health endpoint; passive detection only' };
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  const refusal = await vendor.limiter.refusal(vendor.config.timeoutMs);
  if (refusal) return { outcome: 'quota-skip', ms: 0, detail: refusal.reason };
  try {
    const reply = await vendor.limiter.schedule('low', () =>
      vendor.client.send(request, AbortSignal.timeout(vendor.config.timeoutMs)),
    );
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
