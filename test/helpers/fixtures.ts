import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { VendorReply } from '../../src/contract/index.js';

/** Loads test/adapters/<vendor>/fixtures/<name>.json: a VendorReply { status, headers, body } trimmed from a real answer. */
export function loadReply(vendor: string, name: string): VendorReply {
  const path = fileURLToPath(new URL(`../adapters/${vendor}/fixtures/${name}.json`, import.meta.url));
  const reply = JSON.parse(readFileSync(path, 'utf8')) as Partial<VendorReply>;
  return { status: reply.status ?? 200, headers: reply.headers ?? {}, body: reply.body };
}
