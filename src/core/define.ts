import type { Capability } from './capabilities.js';
import type { CapabilityHandler, ProviderAdapter } from './adapter.js';

/** Identity helpers: they exist so a handler's Raw type is inferred from its schema and checked against its normalizer. */
export function defineCapability<C extends Capability, Raw>(
  handler: CapabilityHandler<C, Raw>,
): CapabilityHandler<C, Raw> {
  return handler;
}

export function defineProvider(adapter: ProviderAdapter): ProviderAdapter {
  if (!/^[a-z][a-z0-9]*$/.test(adapter.name)) {
    throw new Error(`provider name "${adapter.name}" must be lowercase letters and digits: it becomes an env prefix`);
  }
  return adapter;
}
