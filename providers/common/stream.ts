import type { StreamFrame } from '../../src/core/index.js';

/**
 * Reads one text frame as JSON and hands the value to the vendor's reader. A frame that is not JSON is a non-fatal
 * error: one garbled frame says nothing about the next, so the connection stays up.
 */
export function readJsonFrame(vendor: string, frame: string, read: (value: unknown) => StreamFrame[]): StreamFrame[] {
  let value: unknown;
  try {
    value = JSON.parse(frame);
  } catch {
    return [{ kind: 'error', fatal: false, detail: `${vendor} sent a frame that is not JSON` }];
  }
  return read(value);
}

/** A frame whose type the reader knows but whose fields do not match the vendor's documented shape. */
export function malformedFrame(vendor: string, what: string): StreamFrame {
  return {
    kind: 'error',
    fatal: false,
    detail: `${vendor} sent a ${what} frame that does not match its documented shape`,
  };
}
