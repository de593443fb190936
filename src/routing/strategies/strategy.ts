import type { Capability } from '../../contract/index.js';
import type { VendorRuntime } from '../../registry/registry.js';

export interface SelectionContext {
  capability: Capability;
  /** What the request is about (a symbol, a pair), for strategies that keep a key on one vendor. */
  key: string;
  /** Injected so strategies stay pure and tests can fix it. */
  random: () => number;
}

/** Orders the candidates a request may try; pure, no IO, no state writes. */
export interface Strategy {
  name: string;
  order(candidates: readonly VendorRuntime[], context: SelectionContext): VendorRuntime[];
}
