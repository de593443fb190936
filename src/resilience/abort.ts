/**
 * Settles with `work`, or rejects as soon as `signal` aborts with the error `onAbort` returns (null: keep waiting).
 * The work itself is not cancelled — it may be shared, or be a queued job that cannot be cancelled — so its later
 * rejection is swallowed once the caller has stopped waiting.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal, onAbort: () => Error | null): Promise<T> {
  const stopWaiting = () => {
    work.catch(() => undefined);
  };
  if (signal.aborted) {
    const error = onAbort();
    if (error) {
      stopWaiting();
      return Promise.reject(error);
    }
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      const error = onAbort();
      if (!error) return;
      stopWaiting();
      reject(error);
    };
    signal.addEventListener('abort', abort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error as Error);
      },
    );
  });
}
