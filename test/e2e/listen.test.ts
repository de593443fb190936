import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { listenOrExit } from '../../src/listen.js';

function ssAvailable(): boolean {
  try {
    execFileSync('ss', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn('SKIPPED: the accept-backlog test needs `ss` (Debian package iproute2)');
    return false;
  }
}

describe('listenOrExit', () => {
  it.skipIf(!ssAvailable())('asks the kernel for an accept backlog a 1 000-client burst fits in', async () => {
    const app = Fastify();
    onTestFinished(() => app.close());
    await listenOrExit(app, '127.0.0.1', 0);
    const { port } = app.server.address() as { port: number };
    // For a listening socket, ss shows the backlog as Send-Q (the kernel caps it at net.core.somaxconn).
    const line = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' }).trim();
    const backlog = Number(line.split(/\s+/)[2]);
    const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
    // Node's default, 511, would show here as 511.
    expect(backlog).toBe(Math.min(4_096, somaxconn));
  });
});
