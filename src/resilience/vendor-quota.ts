import { MemoryQuotaLedger, type CounterAdjustment, type GrantRequest, type QuotaLedger } from './quota-ledger.js';
import { windowLengthMs, windowSlot, type QuotaWindowSpec, type WindowSlot } from './quota-windows.js';

/** Where a vendor's quota counters live, and how many instances share them. */
export interface QuotaBackend {
  /** Redis, shared by every instance; or this process's counters, persisted to the state file. */
  ledger: QuotaLedger;
  /** Whether other instances spend the same counters: then a failing ledger means "fall back to this instance's share". */
  shared: boolean;
  /** Whether the ledger can be reached now (Redis connected); a failure while it can is a slow command, not an outage. */
  available(): boolean;
  /** Gateway instances alive at the last look (heartbeats), 0 before the first; this instance's share is 1/that. */
  liveInstances(): number;
  keyPrefix: string;
}

/** A backend of this process only, for one instance without a state file (tests, tools). */
export function processQuotaBackend(clock: () => number = Date.now): QuotaBackend {
  return {
    ledger: new MemoryQuotaLedger(clock),
    shared: false,
    available: () => true,
    liveInstances: () => 1,
    keyPrefix: 'mdg',
  };
}

export interface QuotaWindowState {
  window: string;
  limit: number;
  remaining: number;
}

export interface QuotaExhausted {
  reason: 'quota-exhausted';
  window: string;
  /** True the first time this emptying is seen, so quotaExhausted is reported once. */
  newlyExhausted: boolean;
  /** When the window next has room. */
  retryAfterMs: number;
}

/** Every grant went to other callers waiting at the same time: the window has room, this caller got none. */
export interface QuotaBusy {
  reason: 'quota-busy';
}

/** Tokens this instance holds: counted in the ledger already, spent here without asking it. */
interface Lease {
  tokens: number;
  granted: number;
  grantedAt: number;
  /** The counters the grant was added to, one per window: unspent tokens go back to them. */
  keys: { key: string; forgetAt: number }[];
  spendBy: number;
}

/** While the shared ledger is unreachable it is tried again this often; the share serves meanwhile. */
const sharedRetryMs = 1_000;
/**
 * Failed grants in a row, with Redis connected, before the share takes over: a single slow command is no outage, and a
 * timed-out grant may still have counted on the server.
 */
const failuresBeforeShare = 3;
/** Grants a burst of callers may wait for before a caller is refused: each asks for every caller waiting. */
const grantRounds = 3;

/**
 * A vendor's quota windows, spent through leases: one grant takes up to `leaseSize` tokens from every window at once
 * (atomically, in the ledger), and calls spend them here synchronously. The next grant is fetched when half the lease
 * is spent; a grant is sized to what this instance is expected to spend before the lease must end, so it shrinks near a
 * window's end. Unspent tokens go back with the next grant, or on stop().
 *
 * When a shared ledger fails, grants come from this instance's share instead: what was left of each window at the last
 * shared grant, divided by the live instances (the whole window once that read has aged out of it). What the share
 * grants is owed to the shared ledger and added to it when it answers again.
 */
export class VendorQuota {
  private lease: Lease | null = null;
  private fetching: Promise<void> | null = null;
  /** Unspent tokens to give back: sent once, never again, so a grant that timed out but ran cannot return them twice. */
  private readonly returns = new Map<string, CounterAdjustment>();
  /** Calls the share granted, owed to the shared ledger until it accepts them (counted twice rather than lost). */
  private readonly debts = new Map<string, CounterAdjustment>();
  private failures = 0;
  private readonly share: MemoryQuotaLedger;
  private sharedRetryAt = 0;
  /** Each window's count at the last answer of the ledger, and when; the share is computed from it. */
  private lastKnown: { at: number; used: number[]; keys: string[] } | null = null;
  /** Each window's count at the last grant, from the ledger or from the share (which counts a full share as spent). */
  private lastUsed: number[] = [];
  private lastGranted = 0;
  /** Callers waiting for a lease now: the next grant asks for at least this many tokens. */
  private waiting = 0;
  private readonly exhausted = new Set<string>();
  /** Tokens a ms this instance spends, measured lease to lease; null until known. */
  private spendRate: number | null = null;

  constructor(
    private readonly specs: readonly QuotaWindowSpec[],
    private readonly backend: QuotaBackend,
    private readonly counterPrefix: string,
    private readonly leaseSize: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.share = new MemoryQuotaLedger(clock);
  }

  get limited(): boolean {
    return this.specs.length > 0;
  }

  /** Spends one token if the lease has one; never waits. Starts fetching the next lease at half, or when empty. */
  takeNow(): boolean {
    if (this.spendFromLease()) return true;
    void this.refill();
    return false;
  }

  /**
   * Spends one token, fetching a lease when this instance holds none: at most one ledger round trip (bounded by the
   * Redis command timeout), shared with every call waiting at the same time. A spent window refuses at once.
   */
  async take(): Promise<QuotaExhausted | QuotaBusy | null> {
    if (this.spendFromLease()) return null;
    this.waiting += 1;
    try {
      for (let round = 0; round < grantRounds; round += 1) {
        await this.refill();
        if (this.spendFromLease()) return null;
        // A grant of nothing for the counters of now: the window is spent (a prefetch may have asked for older ones).
        if (this.lastGranted === 0 && this.lease && this.clock() < this.lease.spendBy) break;
      }
    } finally {
      this.waiting -= 1;
    }
    return this.refusal();
  }

  private spendFromLease(): boolean {
    if (!this.limited) return true;
    const lease = this.lease;
    if (!lease || lease.tokens <= 0 || this.clock() >= lease.spendBy) return false;
    lease.tokens -= 1;
    if (lease.tokens <= lease.granted / 2) void this.refill();
    return true;
  }

  /** Each window's limit and what is left of it, asked of the ledger (a grant of nothing). */
  async windowStates(): Promise<QuotaWindowState[]> {
    if (!this.limited) return [];
    const now = this.clock();
    const slots = this.slots(now);
    let used: number[];
    try {
      used = (await this.backend.ledger.grant({ adjustments: [], want: 0, windows: grantWindows(slots) })).used;
      this.remember(now, slots, used);
    } catch {
      used = this.lastUsed;
    }
    const held = this.heldTokens(now);
    return slots.map((slot, index) => ({
      window: slot.spec.name,
      limit: slot.spec.limit,
      remaining: Math.max(0, Math.min(slot.spec.limit, slot.spec.limit - (used[index] ?? 0) + held)),
    }));
  }

  /** The lowest share (0–1) left across windows at the last look, this instance's lease included; 1 without windows. */
  get shareLeft(): number {
    if (!this.limited) return 1;
    const held = this.heldTokens(this.clock());
    let least = 1;
    for (const [index, spec] of this.specs.entries()) {
      const left = spec.limit - (this.lastUsed[index] ?? 0) + held;
      least = Math.min(least, Math.max(0, left) / spec.limit);
    }
    return least;
  }

  /** Gives unspent tokens (and what the share owes) back to the ledger; best effort. */
  async stop(): Promise<void> {
    await this.fetching;
    this.returnLease();
    const adjustments = this.pendingAdjustments();
    if (adjustments.length === 0) return;
    await this.backend.ledger.grant({ adjustments, want: 0, windows: [] }).catch(() => undefined);
  }

  private refill(): Promise<void> {
    this.fetching ??= this.fetchLease().finally(() => {
      this.fetching = null;
    });
    return this.fetching;
  }

  private async fetchLease(): Promise<void> {
    const now = this.clock();
    const slots = this.slots(now);
    const keys = slots.map((slot) => ({ key: slot.currentKey, forgetAt: slot.forgetAt }));
    const spendBy = Math.min(...slots.map((slot) => slot.spendBy));
    const sameCounters = this.lease !== null && sameKeys(this.lease.keys, keys) && this.lease.spendBy === spendBy;
    this.measureRate(now);
    if (!sameCounters) this.returnLease();
    const request: GrantRequest = {
      adjustments: this.pendingAdjustments(),
      want: Math.max(this.grantSize(now, spendBy), this.waiting),
      windows: grantWindows(slots),
    };
    const { granted, used } = await this.grantShared(request, slots, now);
    this.lastUsed = used;
    this.lastGranted = granted;
    if (granted > 0) this.exhausted.clear();
    if (sameCounters && this.lease) {
      this.lease.tokens += granted;
      this.lease.granted = this.lease.tokens;
      this.lease.grantedAt = now;
    } else {
      this.lease = { tokens: granted, granted, grantedAt: now, keys, spendBy };
    }
  }

  /** The ledger's grant; when a shared one fails, this instance's share grants instead, and owes it. */
  private async grantShared(request: GrantRequest, slots: WindowSlot[], now: number) {
    const { shared } = this.backend;
    if (!shared || now >= this.sharedRetryAt) {
      try {
        const result = await this.backend.ledger.grant(request);
        this.debts.clear();
        this.failures = 0;
        this.remember(now, slots, result.used);
        return result;
      } catch (error) {
        if (!shared) throw error;
        this.failures += 1;
        if (!this.backend.available()) this.sharedRetryAt = now + sharedRetryMs;
      } finally {
        this.returns.clear();
      }
    }
    // Connected but slow: no grant this time (the call goes to another vendor); the share is for outages.
    if (this.backend.available() && this.failures < failuresBeforeShare) return { granted: 0, used: this.lastUsed };
    const limits = slots.map((slot, index) => this.shareLimit(slot, index, now));
    const windows = grantWindows(slots).map((window, index) => ({ ...window, limit: limits[index] ?? 0 }));
    const result = this.share.grantNow({ adjustments: [], want: request.want, windows });
    for (const slot of slots) addTo(this.debts, slot.currentKey, result.granted, slot.forgetAt);
    // The share counts this instance's calls only: a spent share reads as a spent window.
    const used = result.used.map((count, index) => count + (slots[index]?.spec.limit ?? 0) - (limits[index] ?? 0));
    return { granted: result.granted, used };
  }

  /** What this instance may grant itself from a window while the shared ledger is away. */
  private shareLimit(slot: WindowSlot, index: number, now: number): number {
    const known = this.lastKnown;
    const stillCounts =
      known !== null &&
      (slot.spec.counting === 'fixed'
        ? known.keys[index] === slot.currentKey
        : now < known.at + windowLengthMs(slot.spec.name));
    const carried = stillCounts ? (known.used[index] ?? 0) : 0;
    const instances = this.backend.liveInstances();
    // Not knowing how many instances share the window, this one takes none of it rather than all.
    return instances === 0 ? 0 : Math.floor(Math.max(0, slot.spec.limit - carried) / instances);
  }

  /** Tokens to ask for: what this instance should spend before the lease ends, within 1 and leaseSize. */
  private grantSize(now: number, spendBy: number): number {
    if (this.spendRate === null) return this.leaseSize;
    return Math.min(this.leaseSize, Math.max(1, Math.ceil(this.spendRate * (spendBy - now))));
  }

  private measureRate(now: number): void {
    const lease = this.lease;
    if (!lease || now <= lease.grantedAt) return;
    const rate = (lease.granted - lease.tokens) / (now - lease.grantedAt);
    this.spendRate = this.spendRate === null ? rate : 0.5 * this.spendRate + 0.5 * rate;
  }

  private returnLease(): void {
    const lease = this.lease;
    if (!lease || lease.tokens <= 0) return;
    for (const { key, forgetAt } of lease.keys) addTo(this.returns, key, -lease.tokens, forgetAt);
    lease.tokens = 0;
  }

  /** Debts and returns whose counters still matter; a counter that has passed needs neither. */
  private pendingAdjustments(): CounterAdjustment[] {
    const now = this.clock();
    const adjustments: CounterAdjustment[] = [];
    for (const pending of [this.debts, this.returns]) {
      for (const [key, entry] of pending) {
        if (entry.forgetAt <= now) pending.delete(key);
        else adjustments.push(entry);
      }
    }
    return adjustments;
  }

  private refusal(): QuotaExhausted | QuotaBusy {
    const now = this.clock();
    const slots = this.slots(now);
    const spent = slots.find((slot, index) => (this.lastUsed[index] ?? 0) >= slot.spec.limit);
    if (!spent) return { reason: 'quota-busy' };
    const newlyExhausted = !this.exhausted.has(spent.spec.name);
    this.exhausted.add(spent.spec.name);
    return { reason: 'quota-exhausted', window: spent.spec.name, newlyExhausted, retryAfterMs: spent.nextRoomAt - now };
  }

  private remember(now: number, slots: WindowSlot[], used: number[]): void {
    this.lastKnown = { at: now, used, keys: slots.map((slot) => slot.currentKey) };
  }

  private heldTokens(now: number): number {
    return this.lease && now < this.lease.spendBy ? this.lease.tokens : 0;
  }

  private slots(now: number): WindowSlot[] {
    return this.specs.map((spec) => windowSlot(spec, this.counterPrefix, now));
  }
}

function grantWindows(slots: readonly WindowSlot[]) {
  return slots.map((slot) => ({ limit: slot.spec.limit, keys: slot.keys, forgetAt: slot.forgetAt }));
}

function sameKeys(a: readonly { key: string }[], b: readonly { key: string }[]): boolean {
  return a.length === b.length && a.every((entry, index) => entry.key === b[index]?.key);
}

function addTo(pending: Map<string, CounterAdjustment>, key: string, delta: number, forgetAt: number): void {
  if (delta === 0) return;
  const entry = pending.get(key);
  pending.set(key, { key, delta: (entry?.delta ?? 0) + delta, forgetAt: Math.max(forgetAt, entry?.forgetAt ?? 0) });
}
