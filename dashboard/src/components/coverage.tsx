import { coverage, unavailableBecause, type ProviderStatus } from '../model.js';

/** Which vendors serve each capability, and which of them could take a request right now. */
export function Coverage({ providers }: { providers: readonly ProviderStatus[] }) {
  return (
    <section aria-labelledby="coverage-title">
      <h2 id="coverage-title">Capability coverage</h2>
      <dl class="coverage">
        {coverage(providers).map(([capability, vendors]) => {
          const ready = vendors.filter((vendor) => unavailableBecause(vendor) === null).length;
          return (
            <div key={capability} data-capability={capability} class={ready === 0 ? 'uncovered' : undefined}>
              <dt>
                {capability}{' '}
                <small>{ready === 0 ? 'no vendor can answer now' : `${ready} of ${vendors.length} ready`}</small>
              </dt>
              <dd>
                {vendors.map((vendor) => {
                  const blocked = unavailableBecause(vendor);
                  return (
                    <span
                      key={vendor.name}
                      class={`chip ${blocked ? 'off' : 'on'}`}
                      title={blocked ?? 'can take a request now'}
                    >
                      {blocked ? '✕' : '✓'} {vendor.name}
                    </span>
                  );
                })}
              </dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}
