import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MemoryQuotaLedger, type GrantRequest, type GrantResult } from '../resilience/quota-ledger.js';

/** How often counters that changed are written; a crash loses at most this much of the count. */
export const quotaFlushIntervalMs = 2_000;

interface StateFile {
  version: 1;
  counters: Record<string, { count: number; forgetAt: number }>;
}

/**
 * The quota counters of a gateway without Redis, kept in a state file so a restart never refills a day or month
 * window. Read once at start; written every `quotaFlushIntervalMs` while counters change, and on close, atomically
 * (a temporary file renamed over the old one: a crash mid-write leaves the previous file whole).
 */
export class FileQuotaLedger extends MemoryQuotaLedger {
  private dirty = false;
  private writing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly path: string,
    private readonly onError: (message: string) => void,
    clock: () => number = Date.now,
  ) {
    super(clock);
    this.load();
    this.timer = setInterval(() => void this.flush(), quotaFlushIntervalMs);
    this.timer.unref();
  }

  override grantNow(request: GrantRequest): GrantResult {
    const result = super.grantNow(request);
    if (result.granted > 0 || request.adjustments.length > 0) this.dirty = true;
    return result;
  }

  /** Writes the counters if they changed since the last write; one write at a time. */
  flush(): Promise<void> {
    if (!this.dirty) return this.writing;
    this.dirty = false;
    const state: StateFile = { version: 1, counters: Object.fromEntries(this.counters) };
    this.writing = this.writing.then(() => this.write(JSON.stringify(state)));
    return this.writing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async write(text: string): Promise<void> {
    const temporary = `${this.path}.${process.pid}.tmp`;
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await writeFile(temporary, text);
      await rename(temporary, this.path);
    } catch (error) {
      this.dirty = true;
      this.onError(`quota state file ${this.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }

  private load(): void {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.onError(`quota state file ${this.path}: unreadable`);
      return;
    }
    try {
      const state = JSON.parse(text) as Partial<StateFile>;
      for (const [key, counter] of Object.entries(state.counters ?? {})) {
        if (Number.isFinite(counter.count) && Number.isFinite(counter.forgetAt))
          this.add(key, counter.count, counter.forgetAt);
      }
    } catch {
      this.onError(`quota state file ${this.path}: not valid JSON; starting from empty counters`);
    }
  }
}
