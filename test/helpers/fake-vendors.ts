import { createRequire, syncBuiltinESMExports } from 'node:module';
import type { TimerOptions } from 'node:timers';
import { onTestFinished, vi } from 'vitest';
import { z } from 'zod';
import { gatewayConfigSchema, type GatewayConfig } from '../../src/config/schema.js';
import {
  defineCapability,
  defineProvider,
  RouterEventEmitter,
  streamedEvents,
  type ProviderAdapter,
  type RouterEventName,
  type RouterEvents,
  type VendorReply,
  type VendorRequest,
} from '../../src/core/index.js';
import { Deadline } from '../../src/resilience/deadline.js';
import type { Priority } from '../../src/resilience/limiter.js';
import type { AttemptInput } from '../../src/routing/attempt.js';
import { Router, type RouteOptions, type RoutedResult } from '../../src/routing/router.js';
import { MemoryMetricsStore } from '../../src/store/memory-store.js';
import { TransportError, type TransportFailureKind, type VendorClient } from '../../src/transport/vendor-client.js';
import { VendorRegistry, type VendorRuntime } from '../../src/vendors/registry.js';
import { priceOnlyQuote } from './quotes.js';
import { mulberry32 } from './random.js';

/*
 * The routing engine over in-memory vendors on a fake clock: a real VendorRegistry (breakers, limiters, cooldowns,
 * stats) and a real Router, whose vendors answer from a script instead of a socket.
 */

// ---------------------------------------------------------------------------------------------------------------------
// The clock

/** When every test's fake clock starts: elapsed times and ISO strings in assertions are relative to it. */
export const clockStart = Date.UTC(2026, 0, 5, 14, 30, 0);

/**
 * Everything the engine reads time from. setImmediate is faked too: bottleneck (patched) hands jobs on with it, so a
 * real one would let the limiter progress outside the fake clock and make start times depend on the event loop.
 */
export const fakedTimers = [
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'setImmediate',
  'clearImmediate',
  'Date',
  'performance',
] as const;

/**
 * Installs the fake clock at `clockStart` for the current test and restores the real timers once it has finished.
 *
 * vitest 4.1 fakes the globals but not setTimeout of node:timers/promises (its bundled fake-timers looks for that
 * module before vitest provides it), which the retry backoff sleeps with (src/resilience/retry.ts): a backoff would
 * wait in real time while the fake clock runs ahead. So for the test's duration that module's setTimeout is one made
 * of the faked global setTimeout, and its ESM exports are synced so `import { setTimeout } …` sees it.
 */
export function useFakeClock(): void {
  vi.useFakeTimers({ toFake: [...fakedTimers], now: clockStart });
  const realSleep = timersPromises.setTimeout;
  timersPromises.setTimeout = sleepOnTheGlobalClock;
  syncBuiltinESMExports();
  // Test-finished hooks run last-registered first: engines built in the test close before the clock goes away.
  onTestFinished(() => {
    timersPromises.setTimeout = realSleep;
    syncBuiltinESMExports();
    vi.useRealTimers();
  });
}

const timersPromises = createRequire(import.meta.url)('node:timers/promises') as typeof import('node:timers/promises');

/** timers/promises' setTimeout on whatever globalThis.setTimeout is now (the fake clock's), with its abort contract. */
function sleepOnTheGlobalClock<T = void>(ms?: number, value?: T, options: TimerOptions = {}): Promise<T> {
  const { signal } = options;
  const abortError = () => new DOMException('The operation was aborted', { name: 'AbortError', cause: signal?.reason });
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(value as T);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Milliseconds on the fake clock since `clockStart`. */
export function elapsedMs(): number {
  return Date.now() - clockStart;
}

/**
 * Runs the fake clock on to `ms` after `clockStart`, firing every timer due on the way: for idle waits (a breaker's
 * reset timeout, a cooldown). Within such a tick fake-timers puts a 0 ms timer set from a promise callback 1 ms later,
 * so work whose times a test asserts runs under `settle`, which is exact.
 */
export async function advanceTo(ms: number): Promise<void> {
  const by = ms - elapsedMs();
  if (by < 0) throw new Error(`advanceTo(${ms}): the clock is already at ${elapsedMs()}`);
  await vi.advanceTimersByTimeAsync(by);
}

/** `clockStart` + `ms`, as an ISO string. */
export function isoAt(ms: number): string {
  return new Date(clockStart + ms).toISOString();
}

/** The real setImmediate, taken before any test fakes it: one turn of it runs every pending promise callback. */
const realSetImmediate = globalThis.setImmediate;
const promiseCallbacksRun = () => new Promise<void>((resolve) => realSetImmediate(resolve));

/**
 * Runs the fake clock one timer at a time until `work` settles, and returns (or throws) what it settled with. The
 * clock stops exactly when the work settles, so elapsed times are exact. Never waits in real time.
 */
export async function settle<T>(work: Promise<T>, maxTimers = 10_000): Promise<T> {
  let done = false;
  work.then(
    () => (done = true),
    () => (done = true),
  );
  for (let fired = 0; ; fired += 1) {
    // A timer's callback may start a long chain of promise callbacks: let all of it run before the next timer.
    await promiseCallbacksRun();
    if (done) break;
    if (fired >= maxTimers) throw new Error(`settle: still pending after ${maxTimers} timers (a hang nothing aborts?)`);
    await vi.advanceTimersToNextTimerAsync();
  }
  return work;
}

/** Like `settle` for work expected to reject: returns the error. */
export async function settleError(work: Promise<unknown>): Promise<unknown> {
  try {
    await settle(work);
  } catch (error) {
    return error;
  }
  throw new Error('settleError: the work resolved');
}

// ---------------------------------------------------------------------------------------------------------------------
// Seeded random

export { mulberry32 } from './random.js';

// ---------------------------------------------------------------------------------------------------------------------
// Scripted vendors

/** One scripted answer. `afterMs` is when it arrives, on the fake clock, after the call starts (default 0). */
export type Step =
  | { kind: 'ok'; afterMs: number; price: number }
  | { kind: 'http-status'; afterMs: number; status: number }
  | { kind: 'not-found'; afterMs: number }
  | { kind: 'rate-limited'; afterMs: number; retryAfterSeconds: number | null }
  | { kind: 'malformed'; afterMs: number }
  | { kind: 'normalizer-throws'; afterMs: number }
  | { kind: 'reset'; afterMs: number }
  | { kind: 'hang' };

export const reply = {
  /** 200 with a valid quote. */
  ok: (afterMs = 0, price = 100): Step => ({ kind: 'ok', afterMs, price }),
  /** HTTP 500 (the adapter leaves it to callVendor: `unavailable`, detail "HTTP 500"). */
  serverError: (afterMs = 0): Step => ({ kind: 'http-status', afterMs, status: 500 }),
  /** HTTP 404, which the adapter classifies as not-found. */
  notFound: (afterMs = 0): Step => ({ kind: 'not-found', afterMs }),
  /** HTTP 429 with a Retry-After header in seconds (null: without one). */
  rateLimited: (retryAfterSeconds: number | null, afterMs = 0): Step => ({
    kind: 'rate-limited',
    afterMs,
    retryAfterSeconds,
  }),
  /** 200 whose body fails the adapter's schema (no price). */
  malformed: (afterMs = 0): Step => ({ kind: 'malformed', afterMs }),
  /** 200 with a timestamp out of Date's range: the normalizer's toISOString throws a RangeError. */
  normalizerThrows: (afterMs = 0): Step => ({ kind: 'normalizer-throws', afterMs }),
  /** The connection is reset (ECONNRESET), as a TransportError of kind network. */
  reset: (afterMs = 0): Step => ({ kind: 'reset', afterMs }),
  /** Never answers; rejects as the real transport does once the call's signal aborts. */
  hang: (): Step => ({ kind: 'hang' }),
};

/** One call the fake vendor received, on the fake clock. */
export interface FakeCall {
  path: string;
  startedAt: number;
  /** When it settled; null while it runs. */
  endedAt: number | null;
  /** How it ended: the step's kind, or the TransportError kind when its signal aborted it first. */
  ending: Step['kind'] | TransportFailureKind | null;
}

/**
 * The transport's contract, scripted: resolves with every HTTP status, rejects only with TransportError, and honours
 * the AbortSignal the way createVendorClient does (a TimeoutError reason → `timeout`, anything else → `aborted`).
 */
export class ScriptedClient implements VendorClient {
  readonly calls: FakeCall[] = [];
  private steps: Step[];

  constructor(
    readonly name: string,
    steps: readonly Step[] = [reply.ok()],
  ) {
    this.steps = [...steps];
  }

  /** From the next call on: one step per call, in order; the last one repeats. */
  script(...steps: Step[]): void {
    if (steps.length === 0) throw new Error('script: at least one step');
    this.steps = steps;
  }

  /** Calls still running (neither answered nor aborted). */
  get open(): number {
    return this.calls.filter((call) => call.endedAt === null).length;
  }

  send(request: VendorRequest, signal: AbortSignal): Promise<VendorReply> {
    const step = this.steps.length > 1 ? this.steps.shift()! : this.steps[0]!;
    const call: FakeCall = { path: request.path, startedAt: elapsedMs(), endedAt: null, ending: null };
    this.calls.push(call);
    const end = (ending: FakeCall['ending']) => {
      call.endedAt = elapsedMs();
      call.ending = ending;
    };
    return new Promise<VendorReply>((resolve, reject) => {
      const fail = () => {
        const error = transportErrorFor(signal, this.name);
        end(error.kind);
        reject(error);
      };
      // Like the vendor client (node:http): a call whose signal has already aborted never goes out.
      if (signal.aborted) return fail();
      const timer =
        step.kind === 'hang'
          ? undefined
          : setTimeout(() => {
              signal.removeEventListener('abort', abort);
              end(step.kind);
              if (step.kind === 'reset') reject(new TransportError('network', 'ECONNRESET', this.name));
              else resolve(replyFor(step, request));
            }, step.afterMs);
      const abort = () => {
        clearTimeout(timer);
        fail();
      };
      signal.addEventListener('abort', abort, { once: true });
    });
  }

  close(): void {}
}

/** What createVendorClient's toTransportError makes of an aborted call (node:http rejects with ABORT_ERR). */
function transportErrorFor(signal: AbortSignal, vendor: string): TransportError {
  const reason: unknown = signal.reason;
  return reason instanceof DOMException && reason.name === 'TimeoutError'
    ? new TransportError('timeout', 'no answer in time', vendor)
    : new TransportError('aborted', 'ABORT_ERR', vendor);
}

/** Beyond ±8.64e15 ms a Date is invalid and toISOString throws RangeError("Invalid time value"). */
const outOfRangeTimestamp = 8.64e15 + 1;

function replyFor(step: Exclude<Step, { kind: 'hang' | 'reset' }>, request: VendorRequest): VendorReply {
  const symbol = request.path.split('/').at(-1) ?? '';
  switch (step.kind) {
    case 'ok':
      return { status: 200, headers: {}, body: { symbol, price: step.price, t: clockStart } };
    case 'http-status':
      return { status: step.status, headers: {}, body: { error: 'scripted' } };
    case 'not-found':
      return { status: 404, headers: {}, body: { error: 'unknown symbol' } };
    case 'rate-limited': {
      const headers = step.retryAfterSeconds === null ? {} : { 'retry-after': String(step.retryAfterSeconds) };
      return { status: 429, headers, body: { error: 'slow down' } };
    }
    case 'malformed':
      return { status: 200, headers: {}, body: { symbol, quote: 'not a price' } };
    case 'normalizer-throws':
      return { status: 200, headers: {}, body: { symbol, price: 1, t: outOfRangeTimestamp } };
  }
}

const quoteHandler = defineCapability({
  capability: 'stock-quote',
  responseSchema: z.object({ symbol: z.string(), price: z.number(), t: z.number() }),
  buildRequest: (query) => ({ method: 'GET' as const, path: `/quote/${query.symbol}` }),
  normalize: (raw, query) => ({
    ...priceOnlyQuote(query.symbol, raw.price),
    currency: 'USD',
    asOf: new Date(raw.t).toISOString(),
  }),
});

/** An in-memory adapter serving stock-quote: 404 → not-found, 429 → rate-limited with Retry-After, 5xx left as is. */
export function fakeAdapter(name: string): ProviderAdapter {
  return defineProvider({
    name,
    docsUrl: `https://${name}.invalid/docs`,
    defaultBaseUrl: `https://${name}.invalid`,
    auth: null,
    capabilities: { 'stock-quote': quoteHandler },
    healthCheck: null,
    classifyFailure(response) {
      if (response.status === 404) return { kind: 'not-found', detail: 'unknown symbol' };
      if (response.status === 429) {
        const header = response.headers['retry-after'];
        const seconds = header === undefined ? NaN : Number(header);
        return Number.isFinite(seconds)
          ? { kind: 'rate-limited', detail: 'rate limited', retryAfterMs: seconds * 1_000 }
          : { kind: 'rate-limited', detail: 'rate limited' };
      }
      return null;
    },
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// Configuration

type GatewayInput = z.input<typeof gatewayConfigSchema>;
type ProviderInput = GatewayInput['providers'][string];
export type RoutingInput = NonNullable<GatewayInput['routing']>;

export interface FakeVendorSpec {
  name: string;
  /** Default 1. */
  tier?: number;
  weight?: number;
  timeoutMs?: number;
  costPerCall?: number;
  budget?: ProviderInput['budget'];
  rateLimit?: ProviderInput['rateLimit'];
  /** Merged over the helper's breaker defaults. */
  breaker?: Partial<NonNullable<ProviderInput['breaker']>>;
  /** What the vendor answers, one step per call, the last repeating; default: ok at once. */
  script?: readonly Step[];
}

/**
 * The breaker's rolling window in these tests. Its buckets rotate on one setInterval per bucket length shared by every
 * breaker in the module (src/resilience/breaker.ts), created by the first breaker and never again: on a fake clock it
 * would run in the first test and be gone in the next. Ten-minute windows (one-minute buckets) never rotate in a test,
 * so counts do not depend on the order the tests run in.
 */
export const testRollingWindowMs = 600_000;

/**
 * A GatewayConfig from the real schema (so every default applies) for `vendors`, with `routing` merged over the
 * tests' defaults: the priority strategy (tier order), no active health checks, and a retry backoff of
 * baseDelayMs 1, whose jitter (Math.round(1 × 0.5–1.5)) is always 1 ms. Math.random is better left alone than
 * stubbed: bottleneck names its jobs with it, and two jobs with one name make the second fail.
 */
export function fakeGatewayConfig(vendors: readonly FakeVendorSpec[], routing: RoutingInput = {}): GatewayConfig {
  const providers: Record<string, ProviderInput> = {};
  for (const vendor of vendors) {
    const provider: ProviderInput = {
      tier: vendor.tier ?? 1,
      breaker: { rollingWindowMs: testRollingWindowMs, ...vendor.breaker },
      healthCheck: { enabled: false },
    };
    if (vendor.weight !== undefined) provider.weight = vendor.weight;
    if (vendor.timeoutMs !== undefined) provider.timeoutMs = vendor.timeoutMs;
    if (vendor.costPerCall !== undefined) provider.costPerCall = vendor.costPerCall;
    if (vendor.budget !== undefined) provider.budget = vendor.budget;
    if (vendor.rateLimit !== undefined) provider.rateLimit = vendor.rateLimit;
    providers[vendor.name] = provider;
  }
  const defaults: RoutingInput = { strategy: 'priority', healthChecks: false, retry: { attempts: 1, baseDelayMs: 1 } };
  return gatewayConfigSchema.parse({ routing: { ...defaults, ...routing }, providers });
}

// ---------------------------------------------------------------------------------------------------------------------
// The engine

/** Every router event, in the order emitted. */
export class EventLog {
  readonly all: { name: RouterEventName; payload: RouterEvents[RouterEventName] }[] = [];

  constructor(events: RouterEventEmitter) {
    for (const name of [...streamedEvents, 'callFinished'] as const) {
      events.on(name, (payload) => this.all.push({ name, payload }));
    }
  }

  of<E extends RouterEventName>(name: E): RouterEvents[E][] {
    return this.all.filter((event) => event.name === name).map((event) => event.payload as RouterEvents[E]);
  }

  names(): RouterEventName[] {
    return this.all.map((event) => event.name);
  }
}

export interface EngineOptions {
  routing?: RoutingInput;
  /** Seed of the router's random (mulberry32); default 1. */
  seed?: number;
}

export interface Engine {
  config: GatewayConfig;
  registry: VendorRegistry;
  events: RouterEventEmitter;
  log: EventLog;
  store: MemoryMetricsStore;
  router: Router;
  vendor(name: string): VendorRuntime;
  client(name: string): ScriptedClient;
  /** Starts a stock-quote route (settle it to run the clock). */
  quote(symbol?: string, options?: Partial<RouteOptions>): Promise<RoutedResult<'stock-quote'>>;
  /** The input of one attempt at `vendor`, with a fresh deadline of routing.deadlineMs (ended after the test). */
  attemptInput(vendor: string, overrides?: Partial<AttemptInput<'stock-quote'>>): AttemptInput<'stock-quote'>;
}

/**
 * A Router over a real VendorRegistry of fake adapters with scripted clients, a MemoryMetricsStore fed by
 * callFinished (as src/app.ts does) and a seeded random. Build it after useFakeClock(); it closes itself after the test.
 */
export function buildEngine(vendors: readonly FakeVendorSpec[], options: EngineOptions = {}): Engine {
  const config = fakeGatewayConfig(vendors, options.routing);
  const events = new RouterEventEmitter();
  const log = new EventLog(events);
  const registry = new VendorRegistry(
    config,
    vendors.map((vendor) => fakeAdapter(vendor.name)),
    events,
  );
  const clients = new Map<string, ScriptedClient>();
  for (const spec of vendors) {
    const runtime = registry.find(spec.name)?.runtime;
    if (!runtime) throw new Error(`buildEngine: ${spec.name} is not enabled`);
    runtime.client.close();
    const client = new ScriptedClient(spec.name, spec.script);
    runtime.client = client;
    clients.set(spec.name, client);
  }
  const store = new MemoryMetricsStore(config.routing.healthScore.windowMs);
  events.on('callFinished', (call) => {
    const cost = registry.find(call.provider)?.runtime?.config.costPerCall ?? 0;
    store.recordCall({ ...call, vendor: call.provider, cost });
  });
  const router = new Router(registry, config.routing, events, store, mulberry32(options.seed ?? 1));
  const deadlines: Deadline[] = [];
  onTestFinished(async () => {
    for (const deadline of deadlines) deadline.end();
    const closing = Promise.all([registry.close(), store.close()]);
    await (vi.isFakeTimers() ? settle(closing) : closing);
  });
  let requests = 0;
  const vendor = (name: string) => {
    const runtime = registry.find(name)?.runtime;
    if (!runtime) throw new Error(`no enabled vendor ${name}`);
    return runtime;
  };
  return {
    config,
    registry,
    events,
    log,
    store,
    router,
    vendor,
    client(name) {
      const client = clients.get(name);
      if (!client) throw new Error(`no fake vendor ${name}`);
      return client;
    },
    quote(symbol = 'AAPL', routeOptions = {}) {
      requests += 1;
      return router.route(
        'stock-quote',
        { symbol },
        { requestId: `req-${requests}`, priority: 'normal' satisfies Priority, ...routeOptions },
      );
    },
    attemptInput(name, overrides = {}) {
      const deadline = new Deadline(config.routing.deadlineMs);
      deadlines.push(deadline);
      return {
        vendor: vendor(name),
        capability: 'stock-quote',
        query: { symbol: 'AAPL' },
        deadline,
        priority: 'normal',
        events,
        retry: config.routing.retry,
        ...overrides,
      };
    },
  };
}
