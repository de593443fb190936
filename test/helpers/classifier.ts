import { expect, it } from 'vitest';
import type { VendorFailure, VendorReply } from '../../src/core/index.js';
import { fixtureNames, loadReply } from './fixtures.js';

/** Every sentence (a string with a space) anywhere in a body: the vendor's own wording. */
function sentencesIn(value: unknown): string[] {
  if (typeof value === 'string') return value.includes(' ') ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(sentencesIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(sentencesIn);
  return [];
}

/**
 * The checks every vendor's failure classifier shares, over all its recorded fixtures: each `error.*` reply is a
 * failure, each other reply is no failure except the `notFound` ones (an unknown symbol the vendor answers as an
 * error), and no failure repeats a sentence of the vendor's body (messages can echo keys and URLs).
 */
export function classifierConformance(
  vendor: string,
  classify: (reply: VendorReply) => VendorFailure | null,
  options: { notFound?: readonly string[] } = {},
): void {
  const notFound = new Set(options.notFound ?? []);
  const names = fixtureNames(vendor);
  const errors = names.filter((name) => name.startsWith('error.'));
  const successes = names.filter((name) => !name.startsWith('error.') && !notFound.has(name));

  it.each(successes)('returns null for the ok fixture %s', (name) => {
    expect(classify(loadReply(vendor, name))).toBeNull();
  });

  if (notFound.size > 0) {
    it.each([...notFound])('maps %s to not-found', (name) => {
      expect(classify(loadReply(vendor, name))?.kind).toBe('not-found');
    });
  }

  it.each(errors)('maps %s to a failure', (name) => {
    expect(classify(loadReply(vendor, name))).not.toBeNull();
  });

  it.each([...errors, ...notFound])('keeps the vendor wording of %s out of the failure', (name) => {
    const reply = loadReply(vendor, name);
    const text = JSON.stringify(classify(reply));
    for (const sentence of sentencesIn(reply.body)) expect(text).not.toContain(sentence);
  });
}
