import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { Cooldown } from '../../../src/resilience/cooldown.js';
import { Deadline } from '../../../src/resilience/deadline.js';

describe('Deadline', () => {
  it('runs out with a TimeoutError when the budget does, and aborts the calls running within it', async () => {
    const deadline = new Deadline(20);
    const call = deadline.attemptSignal(5_000);
    expect(deadline.expired).toBe(false);
    await new Promise((resolve) => call.signal.addEventListener('abort', resolve));
    expect(deadline.expired).toBe(true);
    expect((deadline.reason as DOMException).name).toBe('TimeoutError');
    expect((call.signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('runs out when the client goes away, with the reason the client gave, and aborts the calls running within it', () => {
    const client = new AbortController();
    const deadline = new Deadline(10_000, client.signal);
    const call = deadline.attemptSignal(5_000);
    client.abort(new Error('client gone'));
    expect(deadline.expired).toBe(true);
    expect((call.signal.reason as Error).message).toBe('client gone');
    deadline.end();
  });

  it('caps an attempt at the vendor timeout or what is left, whichever is shorter', async () => {
    const deadline = new Deadline(10_000);
    const attempt = deadline.attemptSignal(15);
    await new Promise((resolve) => attempt.signal.addEventListener('abort', resolve));
    expect((attempt.signal.reason as DOMException).name).toBe('TimeoutError');
    expect(deadline.expired).toBe(false);
    deadline.end();
  });

  it('ends an attempt whose hedge was lost, with the reason the hedge gave, and runs on', () => {
    const deadline = new Deadline(10_000);
    const cancel = new AbortController();
    const attempt = deadline.attemptSignal(5_000, cancel);
    expect(attempt.signal).toBe(cancel.signal);
    cancel.abort(new Error('hedge lost'));
    expect(attempt.signal.aborted).toBe(true);
    expect((attempt.signal.reason as Error).message).toBe('hedge lost');
    expect(deadline.expired).toBe(false);
    attempt.end();
    deadline.end();
  });

  it('starts run out when the client is already gone, and lets go of a call once it ended', () => {
    const client = new AbortController();
    client.abort(new Error('client gone'));
    const gone = new Deadline(10_000, client.signal);
    expect((gone.reason as Error).message).toBe('client gone');
    expect((gone.attemptSignal(5_000).signal.reason as Error).message).toBe('client gone');
    gone.end();

    const laterClient = new AbortController();
    const deadline = new Deadline(10_000, laterClient.signal);
    const attempt = deadline.attemptSignal(5_000, new AbortController());
    attempt.end();
    laterClient.abort(new Error('client gone'));
    expect(deadline.expired).toBe(true);
    expect(attempt.signal.aborted).toBe(false);
    deadline.end();
  });

  it('stops its timers when ended: an answered request leaves no timer behind to fire', () => {
    vi.useFakeTimers();
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const deadline = new Deadline(1_000);
    const attempt = deadline.attemptSignal(500);
    expect(vi.getTimerCount()).toBe(2);
    attempt.end();
    deadline.end();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(2_000);
    expect(attempt.signal.aborted).toBe(false);
    expect(deadline.reason).toBeUndefined();
  });
});

describe('Cooldown', () => {
  it('rests until the hint and never shortens a longer rest', () => {
    let now = 1_000;
    const cooldown = new Cooldown(() => now);
    expect(cooldown.active).toBe(false);
    cooldown.start(5_000);
    cooldown.start(1_000);
    expect(cooldown.remainingMs()).toBe(5_000);
    expect(cooldown.endsAt()).toBe(new Date(6_000).toISOString());
    now = 6_000;
    expect(cooldown.active).toBe(false);
    expect(cooldown.endsAt()).toBeNull();
  });
});
