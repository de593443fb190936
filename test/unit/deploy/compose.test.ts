import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { nginxConfPath, renderNginxConf } from '../../../scripts/cluster-topology.js';
import { nginxAvailable } from '../../helpers/nginx.js';
import { shutdownSchema } from '../../../src/config/schema.js';

/**
 * compose.yaml checked for its structure: Docker cannot run where the suite runs, so `docker compose up` itself is not
 * tried here. The nginx config it mounts is the one the cluster tests run (test/e2e/nginx-front.test.ts).
 */
interface Service {
  build?: string;
  image?: string;
  environment?: Record<string, string>;
  networks?: string[];
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  stop_grace_period?: string;
}
const compose = parse(readFileSync('compose.yaml', 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  networks: { backend: { ipam: { config: { subnet: string }[] } } };
};
const nginxConf = readFileSync(nginxConfPath, 'utf8');
const gatewayNames = ['gateway-1', 'gateway-2', 'gateway-3'];

describe('compose.yaml', () => {
  it('runs redis, three gateways from the Dockerfile and nginx with deploy/nginx.conf', () => {
    expect(Object.keys(compose.services).sort()).toEqual([...gatewayNames, 'nginx', 'redis'].sort());
    for (const name of gatewayNames) {
      const gateway = compose.services[name]!;
      expect(gateway).toMatchObject({ build: '.', image: 'market-data-gateway:local', networks: ['backend'] });
      expect(gateway.ports).toBeUndefined();
      expect(gateway.depends_on).toEqual({ redis: { condition: 'service_healthy' } });
    }
    const nginx = compose.services.nginx!;
    expect(nginx.volumes).toContain(`./${nginxConfPath}:/etc/nginx/nginx.conf:ro`);
    expect(nginx.ports).toEqual(['8080:8080']);
    expect(Object.keys(nginx.depends_on ?? {}).sort()).toEqual(gatewayNames);
  });

  it('points the gateways at the redis service and trusts X-Forwarded-For from the backend network only', () => {
    const subnet = compose.networks.backend.ipam.config[0]?.subnet;
    for (const name of gatewayNames) {
      expect(compose.services[name]!.environment).toEqual({ REDIS_URL: 'redis://redis:6379/0', TRUST_PROXY: subnet });
    }
  });

  it('gives a gateway longer to stop than its default grace and closing time', () => {
    const { graceMs, timeoutMs } = shutdownSchema.parse({});
    for (const name of gatewayNames) {
      const seconds = Number(/^(\d+)s$/.exec(compose.services[name]!.stop_grace_period ?? '')?.[1]);
      expect(seconds * 1000).toBeGreaterThan(graceMs + timeoutMs);
    }
  });

  it("names exactly compose's gateways, on the image's port, as nginx's upstream servers", () => {
    const upstreams = [...nginxConf.matchAll(/^\s*server (\S+):(\d+) max_fails=\d+ fail_timeout=\d+s;$/gm)];
    expect(upstreams.map((match) => match[1])).toEqual(gatewayNames);
    const exposed = /^EXPOSE (\d+)$/m.exec(readFileSync('Dockerfile', 'utf8'))?.[1];
    expect(upstreams.every((match) => match[2] === exposed)).toBe(true);
  });
});

describe.skipIf(!nginxAvailable)('deploy/nginx.conf rendered for loopback', () => {
  it('passes nginx -t', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mdg-nginx-t-'));
    try {
      const confPath = join(dir, 'nginx.conf');
      writeFileSync(confPath, renderNginxConf(nginxConf, { port: 18080, dir }, [18081, 18082]));
      const check = spawnSync(
        'nginx',
        ['-t', '-p', dir, '-c', confPath, '-e', 'stderr', '-g', `pid ${dir}/nginx.pid;`],
        {
          encoding: 'utf8',
        },
      );
      expect(check.stderr).toContain('test is successful');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a template that no longer has a line it rewrites', () => {
    expect(() =>
      renderNginxConf(nginxConf.replace('listen 8080;', 'listen 80;'), { port: 1, dir: '/tmp' }, [2]),
    ).toThrow(/listen 8080/);
  });
});
