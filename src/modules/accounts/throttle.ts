/**
 * Sign-in throttling per account and per IP address. After a few failures the wait doubles with each further
 * failure, up to a cap. The same answer is given whether or not the account exists, so the throttle cannot be
 * used to discover accounts. In-process: each replica counts on its own (documented), which still bounds a
 * guessing attack to replicas × the per-replica rate.
 */
export interface ThrottleOptions {
  freeAttempts: number;
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  /** Failures older than this are forgotten. */
  windowSeconds: number;
  now?: () => number;
}

interface Entry {
  failures: number;
  lastFailure: number;
}

const DEFAULTS: ThrottleOptions = { freeAttempts: 5, baseDelaySeconds: 2, maxDelaySeconds: 900, windowSeconds: 3600 };

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly options: ThrottleOptions;

  constructor(options: Partial<ThrottleOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  private now(): number {
    return (this.options.now ?? Date.now)() / 1000;
  }

  private wait(key: string, perIp = false): number {
    const entry = this.entries.get(key);
    if (!entry) return 0;
    const age = this.now() - entry.lastFailure;
    if (age > this.options.windowSeconds) {
      this.entries.delete(key);
      return 0;
    }
    // An address may try many accounts (a lab behind one NAT), so it gets a larger allowance.
    const free = this.options.freeAttempts * (perIp ? 4 : 1);
    if (entry.failures < free) return 0;
    const delay = Math.min(this.options.maxDelaySeconds, this.options.baseDelaySeconds * 2 ** (entry.failures - free));
    return Math.max(0, Math.ceil(delay - age));
  }

  retryAfterSeconds(account: string, ip: string | null): number {
    return Math.max(this.wait(`a:${account}`), ip ? this.wait(`i:${ip}`, true) : 0);
  }

  recordFailure(account: string, ip: string | null): void {
    for (const key of [`a:${account}`, ...(ip ? [`i:${ip}`] : [])]) {
      const entry = this.entries.get(key) ?? { failures: 0, lastFailure: 0 };
      entry.failures++;
      entry.lastFailure = this.now();
      this.entries.set(key, entry);
    }
    if (this.entries.size > 100_000) this.entries.clear(); // bound memory under a spray attack
  }

  recordSuccess(account: string): void {
    this.entries.delete(`a:${account}`);
  }
}
