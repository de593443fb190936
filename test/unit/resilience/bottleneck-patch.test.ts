import { createRequire } from 'node:module';
import Bottleneck from 'bottleneck';
import { describe, expect, it, vi } from 'vitest';

/**
 * patches/bottleneck+2.19.5.patch: an event nobody listens to settles at once (one shared settled promise); listened
 * events behave as before, also on the path without async generators taken when nothing listens to "debug"; a job's
 * datastore steps and its own steps (queueing, executing, failing, freeing) are native async functions; a job without
 * a delay waits for no timer; the internal locks (Sync) still run their tasks one at a time, in order, and an idle one
 * allocates nothing.
 */
describe('bottleneck with the events patch', () => {
  it('still reports every event to a debug listener', async () => {
    const limiter = new Bottleneck({ maxConcurrent: 1 });
    const messages: string[] = [];
    limiter.on('debug', (message: string) => messages.push(message));
    expect(await limiter.schedule(async () => 'done')).toBe('done');
    for (const event of ['received', 'queued', 'scheduled', 'executing', 'done']) {
      expect(messages).toContain(`Event triggered: ${event}`);
    }
  });

  it('still retries a job when a failed listener returns a delay', async () => {
    const limiter = new Bottleneck({ maxConcurrent: 1 });
    limiter.on('failed', (_error: Error, info: { retryCount: number }) => (info.retryCount < 2 ? 0 : undefined));
    let calls = 0;
    const job = limiter.schedule(async () => {
      calls += 1;
      throw new Error(`failure ${calls}`);
    });
    await expect(job).rejects.toThrow('failure 3');
    expect(calls).toBe(3);
  });

  it('settles an event nobody listens to without triggering a debug event for it (the patch is applied)', async () => {
    const limiter = new Bottleneck();
    const events = (limiter as unknown as { Events: { trigger(name: string, ...args: unknown[]): Promise<unknown> } })
      .Events;
    const trigger = vi.spyOn(events, 'trigger');
    await expect(events.trigger('received', { id: 'x' })).resolves.toBeUndefined();
    // Unpatched, trigger() first calls itself with "debug", even when nobody listens.
    expect(trigger.mock.calls.map(([name]) => name)).toEqual(['received']);
  });

  it('starts a job without a delay within one turn of the event loop (a zero yield is a settled promise)', async () => {
    const limiter = new Bottleneck({ maxConcurrent: 1 });
    let ran = false;
    const job = limiter.schedule(async () => {
      ran = true;
    });
    // Unpatched (or yielding through setImmediate), the job is still in the datastore's steps after two turns.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toBe(true);
    await job;
  });

  it('still takes jobs one at a time through its locks: in order, and past a job that failed', async () => {
    const limiter = new Bottleneck({ maxConcurrent: 1 });
    const finished: number[] = [];
    const jobs = [1, 2, 3, 4].map((value) =>
      limiter.schedule(async () => {
        if (value === 2) throw new Error('job 2 failed');
        finished.push(value);
        return value;
      }),
    );
    const settled = await Promise.allSettled(jobs);
    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(finished).toEqual([1, 3, 4]);
  });

  it('gives a listened event, without a debug listener, the same calls and result as before', async () => {
    const limiter = new Bottleneck();
    const events = (limiter as unknown as { Events: { trigger(name: string, ...args: unknown[]): Promise<unknown> } })
      .Events;
    const heard: string[] = [];
    const errors: string[] = [];
    limiter.on('error', (error: Error) => errors.push(error.message));
    limiter.on('failed', () => {
      heard.push('first');
      return null;
    });
    limiter.once('failed', (reason: string) => {
      heard.push(`once ${reason}`);
      throw new Error('listener broke');
    });
    limiter.on('failed', async () => {
      heard.push('third');
      return 250;
    });
    limiter.on('failed', () => 500);

    const first = events.trigger('failed', 'boom');
    // Listeners run at once, in order; the answer is the first that is not null, awaited.
    expect(heard).toEqual(['first', 'once boom', 'third']);
    await expect(first).resolves.toBe(250);
    expect(errors).toEqual(['listener broke']);
    // The once-listener is gone; the rest answer again.
    await expect(events.trigger('failed', 'again')).resolves.toBe(250);
    expect(heard).toEqual(['first', 'once boom', 'third', 'first', 'third']);
  });

  it('hands a rejected answer of a listener to "error" and settles the event without it', async () => {
    const limiter = new Bottleneck();
    const events = (limiter as unknown as { Events: { trigger(name: string, ...args: unknown[]): Promise<unknown> } })
      .Events;
    const errors: string[] = [];
    limiter.on('error', (error: Error) => errors.push(error.message));
    limiter.on('failed', () => Promise.reject(new Error('async listener broke')));
    await expect(events.trigger('failed')).resolves.toBeUndefined();
    expect(errors).toEqual(['async listener broke']);
  });

  it('runs the datastore steps of a job as native async functions, which still refuse what the limiter cannot take', async () => {
    const { prototype } = createRequire(import.meta.url)('bottleneck/lib/LocalDatastore.js') as {
      prototype: Record<'__register__' | '__submit__' | '__free__', () => unknown>;
    };
    // Unpatched, each is a compiled generator behind a plain function.
    for (const step of ['__register__', '__submit__', '__free__'] as const) {
      expect(prototype[step].constructor.name).toBe('AsyncFunction');
    }
    const limiter = new Bottleneck({ maxConcurrent: 1 });
    await expect(limiter.schedule({ weight: 2 }, async () => 'too heavy')).rejects.toThrow(
      'Impossible to add a job having a weight of 2 to a limiter having a maxConcurrent setting of 1',
    );
    expect(await limiter.schedule({ weight: 1 }, async () => 'fits')).toBe('fits');
  });

  it("runs a job's own steps as native async functions, and a job still frees its slot, expires and overflows", async () => {
    const load = createRequire(import.meta.url);
    const limiterSteps = (load('bottleneck/lib/Bottleneck.js') as { prototype: Record<string, () => unknown> })
      .prototype;
    const jobSteps = (load('bottleneck/lib/Job.js') as { prototype: Record<string, () => unknown> }).prototype;
    // Unpatched, each is a compiled generator behind a plain function.
    expect(
      [limiterSteps._addToQueue, limiterSteps._free, jobSteps.doExecute, jobSteps._onFailure].map(
        (step) => step?.constructor.name,
      ),
    ).toEqual(['AsyncFunction', 'AsyncFunction', 'AsyncFunction', 'AsyncFunction']);

    const limiter = new Bottleneck({ maxConcurrent: 1, highWater: 1, strategy: Bottleneck.strategy.OVERFLOW });
    expect(await limiter.schedule(async () => 'done')).toBe('done');
    // The slot is given back before the job settles.
    expect(limiter.counts()).toMatchObject({ RUNNING: 0, EXECUTING: 0, QUEUED: 0 });
    const expired = limiter.schedule({ expiration: 5 }, () => new Promise<never>(() => undefined));
    const queued = limiter.schedule(async () => 'after the expired one');
    await expect(limiter.schedule(async () => 'overflow')).rejects.toThrow(Bottleneck.BottleneckError);
    await expect(expired).rejects.toThrow('This job timed out after 5 ms.');
    expect(await queued).toBe('after the expired one');
  });

  it('allocates nothing for an event nobody listens to, nor for a lock with nothing to run', () => {
    const limiter = new Bottleneck();
    const events = (limiter as unknown as { Events: { trigger(name: string, ...args: unknown[]): Promise<unknown> } })
      .Events;
    // One settled promise serves every unlistened event (unpatched: a new one each, after a debug event).
    expect(events.trigger('received')).toBe(events.trigger('queued'));
    const Sync = createRequire(import.meta.url)('bottleneck/lib/Sync.js') as new (
      name: string,
      promise: PromiseConstructor,
    ) => { _tryToRun(): unknown };
    // Unpatched (an async function, or the compiled generator), an idle lock still returns a promise.
    expect(new Sync('idle', Promise)._tryToRun()).toBeUndefined();
  });

  it('runs jobs with no listener at all', async () => {
    const limiter = new Bottleneck({ maxConcurrent: 2 });
    const results = await Promise.all([1, 2, 3].map((value) => limiter.schedule(async () => value * 2)));
    expect(results).toEqual([2, 4, 6]);
  });
});
