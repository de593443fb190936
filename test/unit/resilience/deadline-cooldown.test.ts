import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { Cooldown } from '../../../src/resilience/cooldown.js';
import { Deadline } from '../../../src/resilience/deadline.js';

describe('Deadline', () => {
  it('aborts its signal with a TimeoutError when the budget runs out', async () => {
    const deadline = new Deadline(20);
    expect(deadline.expired).toBe(false);
    await new Promise((resolve) => deadline.signal.addEventListener('abort', resolve));
    expect(deadline.expired).toBe(true);
    expect((deadline.signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('aborts when the client goes away', () => {
    const client = new AbortController();
    const deadline = new Deadline(10_000, client.signal);
    client.abort();
    expect(deadline.signal.aborted).toBe(true);
  });

  it('caps an attempt at the vendor timeout or what is left, whichever is shorter', async () => {
    const deadline = new Deadline(10_000);
    const attempt = deadline.attemptSignal(15);
    await new Promise((resolve) => attempt.signal.addEventListener('abort', resolve));
    expect((attempt.signal.reason as DOMException).name).toBe('TimeoutError');
    expect(deadline.expired).toBe(false);
    deadline.end();
  });

  it('ends an attempt whose hedge was lost, with the reason the hedge gave', () => {
    const deadline = new Deadline(10_000);
    const cancel = new AbortController();
    const attempt = deadline.attemptSignal(5_000, cancel);
    cancel.abort(new Error('hedge lost'));
    expect(attempt.signal.aborted).toBe(true);
    expect((attempt.signal.reason as Error).message).toBe('hedge lost');
    expect(deadline.signal.aborted).toBe(false);
    attempt.end();
    deadline.end();
  });

  it('starts aborted when the client is already gone, and lets go of its parents once ended', () => {
    const client = new AbortController();
    client.abort(new Error('client gone'));
    expect((new Deadline(10_000, client.signal).signal.reason as Error).message).toBe('client gone');

    const laterClient = new AbortController();
    const deadline = new Deadline(10_000, laterClient.signal);
    const attempt = deadline.attemptSignal(5_000, new AbortController());
    attempt.end();
    laterClient.abort(new Error('client gone'));
    expect(deadline.signal.aborted).toBe(true);
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
    expect(deadline.signal.aborted).toBe(false);
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
