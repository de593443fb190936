import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { providers } from '../../../providers/index.js';
import { renderVendorTable, vendorTablePath, withVendorTable } from '../../../scripts/vendor-table.js';

describe('the vendor table in docs/vendors.md', () => {
  it('matches the adapters’ declarations (run `npm run docs:vendors` after adding or changing a vendor)', async () => {
    const vendors = readFileSync(vendorTablePath, 'utf8');
    expect(vendors).toBe(await withVendorTable(vendors));
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
