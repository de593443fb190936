import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { hashClientKey } from '../src/config/env-overrides.js';
import { clientKeySchema, clientScopes, type ClientKeyConfig } from '../src/config/schema.js';
import { RedisClientKeys } from '../src/store/client-keys.js';
import { createRedisConnections } from '../src/store/redis.js';

const usage = `usage:
  npm run keys -- new NAME [--scopes data,operator,…] [--redis]   make a key; print it once, with its sha256
  npm run keys -- revoke NAME --redis                              remove every Redis-issued key of that name
--redis writes to (or removes from) the Redis at REDIS_URL (store.keyPrefix from KEY_PREFIX, default mdg);
without it, paste the printed YAML into auth.keys. Scopes: ${clientScopes.join(', ')}.`;

/** Issues and revokes client keys (docs/security.md#client-keys). The key is shown once and stored nowhere. */
async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { scopes: { type: 'string', default: 'data' }, redis: { type: 'boolean', default: false } },
  });
  const [command, name] = positionals;
  if ((command !== 'new' && command !== 'revoke') || !name) throw new Error(usage);
  const store = values.redis ? await openRedis() : null;
  try {
    if (command === 'revoke') {
      if (!store) throw new Error('revoke works on Redis-issued keys (--redis); for auth.keys, delete the entry');
      process.stdout.write(`revoked ${await store.keys.revoke(name)} key(s) named ${name}\n`);
      return;
    }
    const key = `mdg_${randomBytes(32).toString('base64url')}`;
    const parsed = clientKeySchema.safeParse({
      name,
      sha256: hashClientKey(key),
      scopes: values.scopes.split(',').map((scope) => scope.trim()),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${issue?.path.join('.') ?? 'key'}: ${issue?.message ?? 'invalid'}\n${usage}`);
    }
    const entry: ClientKeyConfig = parsed.data;
    if (store) await store.keys.issue(entry);
    process.stdout.write(
      `key (shown once, give it to ${name}): ${key}\n` +
        (store
          ? `stored in Redis as ${entry.sha256}\n`
          : `add to auth.keys:\n  - { name: ${entry.name}, sha256: ${entry.sha256}, scopes: [${entry.scopes.join(', ')}] }\n`),
    );
  } finally {
    await store?.close();
  }
}

async function openRedis() {
  const redisUrl = process.env.REDIS_URL;
  if (!redisUrl) throw new Error('--redis needs REDIS_URL');
  const redis = createRedisConnections(
    { redisUrl, keyPrefix: process.env.KEY_PREFIX ?? 'mdg', commandTimeoutMs: 2_000, syncIntervalMs: 1_000 },
    () => undefined,
  );
  // The command connection queues nothing while offline: wait for it rather than fail the first write.
  for (let waited = 0; !redis.isReady(); waited += 50) {
    if (waited >= 5_000) {
      await redis.close();
      throw new Error(`cannot reach Redis at REDIS_URL (${redis.problem() ?? 'not ready'})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const keys = new RedisClientKeys(redis, process.env.KEY_PREFIX ?? 'mdg');
  return { keys, close: () => redis.close() };
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
