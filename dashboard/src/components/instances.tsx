import type { InstanceStatus } from '../../../src/http/routes/instances.js';
import { ago } from '../model.js';

/** The gateway processes sharing the Redis store; one line without Redis. */
export function Instances({ instances }: { instances: readonly InstanceStatus[] }) {
  return (
    <section aria-labelledby="instances-title">
      <h2 id="instances-title">Instances</h2>
      {instances.length <= 1 && <p class="empty">One instance: no other shares a Redis store with it.</p>}
      <ul class="instances">
        {instances.map((instance) => (
          <li key={instance.id} data-instance={instance.id}>
            <code>{instance.id.slice(0, 8)}</code> {instance.host} pid {instance.pid}
            <small>
              started {ago(instance.startedAt)}
              {instance.self ? ' · answering this page' : ` · seen ${ago(instance.seenAt)}`}
            </small>
          </li>
        ))}
      </ul>
    </section>
  );
}
