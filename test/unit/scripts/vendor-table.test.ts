import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { providers } from '../../../providers/index.js';
import { readmeWithVendorTable, renderVendorTable } from '../../../scripts/vendor-table.js';

describe('the README vendor table', () => {
  it('matches the adapters’ declarations (run `npm run docs:vendors` after adding or changing a vendor)', async () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(readme).toBe(await readmeWithVendorTable(readme));
  });

  it('has one row per adapter and ticks exactly what each declares', () => {
    const rows = renderVendorTable().split('\n').slice(2, -1);
    expect(rows).toHaveLength(providers.length);
    for (const [index, adapter] of providers.entries()) {
      const ticks = (rows[index]?.match(/✓/g) ?? []).length;
      expect(ticks, adapter.name).toBe(Object.keys(adapter.capabilities).length);
    }
  });
});
