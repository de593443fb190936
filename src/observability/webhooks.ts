import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { WebhookConfig } from '../config/schema.js';
import { createHash } from 'node:crypto';
import type { StreamedEvent } from '../core/events.js';
import type { AlertClaims } from '../store/alert-claims.js';
import type { EventHub } from './event-hub.js';

export interface WebhookTiming {
  timeoutMs: number;
  /** Tries per POST; a try waits retryBaseMs × 2^(n−1) after a failure. */
  attempts: number;
  retryBaseMs: number;
  /** POSTs waiting or in flight per webhook; beyond it the oldest waiting one is dropped (and counted). */
  maxPending: number;
}

const defaultTiming: WebhookTiming = { timeoutMs: 5_000, attempts: 3, retryBaseMs: 1_000, maxPending: 100 };

/** The JSON a webhook receives. */
export interface WebhookBody {
  event: StreamedEvent['name'];
  at: string;
  instance: string;
  payload: StreamedEvent['payload'];
  /** Events of the same name and subject left out since the last POST, inside minIntervalMs. */
  suppressed: number;
}

/** What repeats of one alert share: the event name and the vendor or capability it is about. */
function subjectOf(event: StreamedEvent): string {
  const payload = event.payload as { provider?: string; capability?: string };
  return `${event.name}|${payload.provider ?? payload.capability ?? ''}`;
}

/** Only the origin: a webhook URL often carries a token in its path or query. */
function originOf(url: string): string {
  return new URL(url).origin;
}

/**
 * POSTs chosen router events to each configured webhook, off the request path: events are queued and sent one at a
 * time per webhook, each POST with a timeout and a bounded number of retries. At most one POST per event name and
 * subject (vendor or capability) in `minIntervalMs`, cluster-wide: each instance sends only the events it saw itself,
 * and with Redis the first instance to claim a subject (AlertClaims) sends for all. Repeats held back here are
 * counted into this instance's next POST.
 */
export class WebhookNotifier {
  private readonly unsubscribe: () => void;
  private readonly senders: WebhookSender[];

  constructor(
    hub: EventHub,
    webhooks: readonly WebhookConfig[],
    claims: AlertClaims,
    log: FastifyBaseLogger,
    timing = defaultTiming,
  ) {
    this.senders = webhooks.map((webhook) => new WebhookSender(webhook, claims, log, timing));
    this.unsubscribe =
      this.senders.length === 0
        ? () => undefined
        : hub.subscribe((event) => {
            // Other instances' events reach this hub too; their own notifiers send them (and this one is spared a
            // claim per event).
            if (event.instance !== hub.instance) return;
            for (const sender of this.senders) sender.offer(event);
          });
  }

  /** Waits for what is queued (bounded by the retries), then stops. */
  async close(): Promise<void> {
    this.unsubscribe();
    await Promise.all(this.senders.map((sender) => sender.drain()));
  }
}

class WebhookSender {
  private readonly lastSent = new Map<string, number>();
  private readonly heldBack = new Map<string, number>();
  private readonly queue: WebhookBody[] = [];
  private sending: Promise<void> | null = null;
  /** Claims in flight, so a drain waits for alerts still deciding whether this instance sends them. */
  private readonly claiming = new Set<Promise<void>>();
  /** The webhook's claim keys name it by a hash: its URL may carry a token. */
  private readonly claimPrefix: string;

  constructor(
    private readonly webhook: WebhookConfig,
    private readonly claims: AlertClaims,
    private readonly log: FastifyBaseLogger,
    private readonly timing: WebhookTiming,
  ) {
    this.claimPrefix = `webhook:${createHash('sha256').update(webhook.url).digest('hex').slice(0, 16)}`;
  }

  offer(event: StreamedEvent): void {
    if (!this.webhook.events.includes(event.name)) return;
    const subject = subjectOf(event);
    const now = Date.now();
    const last = this.lastSent.get(subject);
    if (last !== undefined && now - last < this.webhook.minIntervalMs) {
      this.holdBack(subject);
      return;
    }
    this.lastSent.set(subject, now);
    const claimed = this.claims
      .claim(`${this.claimPrefix}:${subject}`, this.webhook.minIntervalMs)
      .then((won) => (won ? this.enqueue(event, subject) : this.holdBack(subject)));
    this.claiming.add(claimed);
    void claimed.finally(() => this.claiming.delete(claimed));
  }

  async drain(): Promise<void> {
    await Promise.all(this.claiming);
    await this.sending;
  }

  private holdBack(subject: string): void {
    this.heldBack.set(subject, (this.heldBack.get(subject) ?? 0) + 1);
  }

  private enqueue(event: StreamedEvent, subject: string): void {
    const suppressed = this.heldBack.get(subject) ?? 0;
    this.heldBack.delete(subject);
    this.queue.push({ event: event.name, at: event.at, instance: event.instance, payload: event.payload, suppressed });
    if (this.queue.length > this.timing.maxPending) {
      this.queue.shift();
      this.log.warn({ webhook: originOf(this.webhook.url) }, 'webhook queue full: dropped the oldest alert');
    }
    this.sending ??= this.sendAll().finally(() => {
      this.sending = null;
    });
  }

  private async sendAll(): Promise<void> {
    for (let body = this.queue.shift(); body; body = this.queue.shift()) await this.send(body);
  }

  private async send(body: WebhookBody): Promise<void> {
    const origin = originOf(this.webhook.url);
    for (let attempt = 1; attempt <= this.timing.attempts; attempt += 1) {
      try {
        const response = await fetch(this.webhook.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'market-data-gateway' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.timing.timeoutMs),
        });
        await response.body?.cancel();
        if (response.ok) return;
        // 4xx other than 408/429 will not get better by trying again.
        if (response.status < 500 && response.status !== 408 && response.status !== 429) {
          this.log.warn({ webhook: origin, status: response.status, event: body.event }, 'webhook refused the alert');
          return;
        }
      } catch {
        // A timeout or a network error: try again below.
      }
      if (attempt < this.timing.attempts) await sleep(this.timing.retryBaseMs * 2 ** (attempt - 1));
    }
    this.log.warn(
      { webhook: origin, event: body.event, attempts: this.timing.attempts },
      'webhook alert not delivered',
    );
  }
}
