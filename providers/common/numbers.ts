import { z } from 'zod';

/**
 * A number a vendor sends as a string ("189.84"). Rejects '' and junk, unlike z.coerce.number(), which turns '' into 0.
 */
export const decimalString = z
  .string()
  .regex(/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/, 'expected a decimal number in a string')
  .transform(Number);

/** A number sent either as a JSON number or as a decimal string. */
export const numeric = z.union([z.number(), decimalString]);

/** Vendors use 0 for "no value" in some fields (finnhub's unknown symbol); this keeps 0 out of optional fields. */
export function nonZeroOrNull(value: number | null | undefined): number | null {
  return value === undefined || value === null || value === 0 ? null : value;
}

export function numberOrNull(value: number | null | undefined): number | null {
  return value === undefined || value === null || Number.isNaN(value) ? null : value;
}

/** Empty strings mean "absent" in several payloads (finnhub image "", mediastack description ""). */
export function textOrNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === '' ? null : value;
}
