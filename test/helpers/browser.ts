import { accessSync, constants, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's chromium (apt-get install chromium), driven by playwright-core: no test downloads a browser of its own.
 * Undefined when absent; browser tests then skip and say so loudly (`warnWithoutChromium`).
 */
export const chromiumPath = ['chromium', 'chromium-browser', 'google-chrome']
  .flatMap((binary) => (process.env.PATH ?? '').split(delimiter).map((folder) => join(folder, binary)))
  .find(isExecutable);

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function warnWithoutChromium(what: string): void {
  if (chromiumPath) return;
  process.stderr.write(
    `\n*** no chromium on PATH: ${what} is SKIPPED. Install it (Debian: apt-get install -y chromium); .ci/run does. ***\n\n`,
  );
}

/**
 * Headless, and quiet on the network: without the background-networking flags chromium keeps dialing Google's
 * hosts, which this sandbox refuses.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath as string,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Where browser tests leave screenshots for a person to look at (gitignored; CI may keep it as an artifact). */
export function artifactPath(name: string): string {
  const folder = join('test-results', 'screenshots');
  mkdirSync(folder, { recursive: true });
  return join(folder, name);
}
