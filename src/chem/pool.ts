import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../lib/ts-worker.ts';
import type { DepictInput } from './depict.ts';
import { ChemInputError, ChemInternalError } from './errors.ts';
import { FINGERPRINT_BYTES } from './fingerprint.ts';
import { structureText, type StructureInput } from './input.ts';
import type { ChemRequest, ChemResults, RequestMessage, ResponseMessage, SerializedError } from './protocol.ts';
import type { RegisteredStructure, StandardizationReport } from './register.ts';
import type { CandidateId, SubstructureCandidate } from './substructure.ts';

export { ChemInputError, ChemInternalError };
export type { CandidateId, DepictInput, RegisteredStructure, StandardizationReport, StructureInput, SubstructureCandidate };

export interface ChemPool {
  /** Standardizes and describes a structure; rejects with ChemInputError on bad input. */
  register(input: StructureInput): Promise<RegisteredStructure>;
  /** SVG text; `highlightQuery` (SMARTS or SMILES) highlights every match. */
  depict(input: DepictInput): Promise<string>;
  /**
   * Ids of candidates containing `query` (SMARTS, or SMILES if not valid SMARTS), in input order. Candidates with a
   * `patternFp` (from `patternFingerprint`) are pre-screened without parsing. Large lists are split across workers.
   */
  substructureSearch(query: string, candidates: readonly SubstructureCandidate[]): Promise<CandidateId[]>;
  /** RDKit pattern fingerprint (2048 bits) of a molecule (`smiles`) or of a substructure query (`query`). */
  patternFingerprint(input: { smiles: string } | { query: string }): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface ChemPoolOptions {
  /** Worker threads; default max(1, min(4, availableParallelism)). */
  size?: number;
  /** A request running longer than this gets its worker replaced and rejects; default 60 s. */
  requestTimeoutMs?: number;
  /** Enables test-only requests in the workers (see protocol.ts). */
  testHooks?: boolean;
}

export function createChemPool(options: ChemPoolOptions = {}): ChemPool & { readonly internals: PoolInternals } {
  return new WorkerChemPool(options);
}

/** Observability for tests and metrics. */
export interface PoolInternals {
  readonly workersStarted: number;
  readonly queued: number;
  send<K extends ChemRequest['kind']>(request: Extract<ChemRequest, { kind: K }>): Promise<ChemResults[K]>;
}

interface Job {
  id: number;
  request: ChemRequest;
  resolve: (value: unknown) => void;
  reject: (reason: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  timer: ReturnType<typeof setTimeout> | null;
  retired: boolean;
}

/** Give up on (and fail) the pool after this many workers in a row died before answering anything. */
const MAX_CONSECUTIVE_STARTUP_FAILURES = 3;
/** Substructure searches smaller than this run in one worker; splitting costs more than it saves. */
const MIN_CANDIDATES_PER_CHUNK = 200;

class WorkerChemPool implements ChemPool {
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly testHooks: boolean;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private failure: Error | null = null;
  private consecutiveFailures = 0;
  private started = 0;

  constructor(options: ChemPoolOptions) {
    const size = options.size ?? Math.max(1, Math.min(4, os.availableParallelism()));
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`chem pool size must be a positive integer, got ${size}`);
    this.size = size;
    this.timeoutMs = options.requestTimeoutMs ?? 60_000;
    this.testHooks = options.testHooks ?? false;
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  get internals(): PoolInternals {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- getters below must read the live pool
    const pool = this;
    return {
      get workersStarted() { return pool.started; },
      get queued() { return pool.queue.length; },
      send: (request) => this.send(request),
    };
  }

  register(input: StructureInput): Promise<RegisteredStructure> {
    try {
      structureText(input); // reject empty or oversized input here rather than copying it to a worker
    } catch (err) {
      return Promise.reject(err);
    }
    return this.send({ kind: 'register', input: { smiles: input.smiles, molblock: input.molblock } });
  }

  depict(input: DepictInput): Promise<string> {
    return this.send({ kind: 'depict', input });
  }

  async substructureSearch(query: string, candidates: readonly SubstructureCandidate[]): Promise<CandidateId[]> {
    const chunkSize = Math.max(MIN_CANDIDATES_PER_CHUNK, Math.ceil(candidates.length / this.size));
    const chunks: SubstructureCandidate[][] = [];
    for (let i = 0; i < candidates.length; i += chunkSize) chunks.push(candidates.slice(i, i + chunkSize));
    if (chunks.length === 0) chunks.push([]); // still validate the query
    const results = await Promise.all(chunks.map((chunk) => {
      let patternFps: Uint8Array | undefined;
      if (chunk.some((c) => c.patternFp)) {
        patternFps = new Uint8Array(chunk.length * FINGERPRINT_BYTES).fill(0xff); // no fingerprint: never screened out
        chunk.forEach((c, i) => { if (c.patternFp) patternFps?.set(c.patternFp.subarray(0, FINGERPRINT_BYTES), i * FINGERPRINT_BYTES); });
      }
      // A newline inside a SMILES (never written by RDKit) would shift every later candidate: send it as empty.
      const smiles = chunk.map((c) => (c.smiles.includes('\n') ? '' : c.smiles)).join('\n');
      return this.send({ kind: 'substructureSearch', query, smiles, ...(patternFps ? { patternFps } : {}) })
        .then((hits) => hits.map((i) => (chunk[i] as SubstructureCandidate).id));
    }));
    return results.flat();
  }

  patternFingerprint(input: { smiles: string } | { query: string }): Promise<Uint8Array> {
    return this.send({ kind: 'patternFingerprint', input });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new ChemInternalError('chem pool closed');
    for (const job of this.queue.splice(0)) job.reject(error);
    await Promise.all(
      this.slots.map((slot) => {
        slot.retired = true;
        if (slot.timer) clearTimeout(slot.timer);
        slot.job?.reject(error);
        slot.job = null;
        return slot.worker.terminate();
      }),
    );
  }

  private send<K extends ChemRequest['kind']>(request: Extract<ChemRequest, { kind: K }>): Promise<ChemResults[K]> {
    if (this.closed) return Promise.reject(new ChemInternalError('chem pool closed'));
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<ChemResults[K]>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, request, resolve: resolve as (value: unknown) => void, reject });
      this.dispatch();
    });
  }

  private spawn(): Slot {
    this.started++;
    const worker = startTsWorker(new URL('./worker.ts', import.meta.url), { workerData: { testHooks: this.testHooks } });
    const slot: Slot = { worker, job: null, timer: null, retired: false };
    worker.unref(); // an idle pool must not keep the process alive; busy workers are ref'd in dispatch()
    worker.on('message', (msg: ResponseMessage) => this.onMessage(slot, msg));
    worker.on('error', (err) => this.onWorkerDied(slot, new ChemInternalError(`chem worker crashed: ${err.message}`, { cause: err })));
    worker.on('exit', (code) => this.onWorkerDied(slot, new ChemInternalError(`chem worker exited with code ${code}`)));
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.job || slot.retired) continue;
      const job = this.queue.shift() as Job;
      slot.job = job;
      slot.worker.ref();
      slot.timer = setTimeout(() => {
        this.replace(slot, new ChemInternalError(`chem request timed out after ${this.timeoutMs} ms`), false);
      }, this.timeoutMs);
      slot.worker.postMessage({ id: job.id, request: job.request } satisfies RequestMessage);
    }
  }

  private onMessage(slot: Slot, msg: ResponseMessage): void {
    const job = slot.job;
    if (slot.retired || !job || job.id !== msg.id) return;
    this.consecutiveFailures = 0;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    slot.worker.unref();
    if (msg.ok) {
      job.resolve(msg.result);
    } else {
      job.reject(deserialize(msg.error));
      if (msg.poisoned) {
        this.replace(slot, null, false);
        return;
      }
    }
    this.dispatch();
  }

  private onWorkerDied(slot: Slot, error: Error): void {
    if (slot.retired || this.closed) return;
    this.replace(slot, error, true);
  }

  /** Terminates a worker, fails its current job (if `error`), and starts a replacement. */
  private replace(slot: Slot, error: Error | null, died: boolean): void {
    if (slot.retired) return;
    slot.retired = true;
    if (slot.timer) clearTimeout(slot.timer);
    const job = slot.job;
    slot.job = null;
    if (job && error) job.reject(error);
    void slot.worker.terminate();
    if (this.closed) return;
    if (died) this.consecutiveFailures++;
    if (this.consecutiveFailures >= MAX_CONSECUTIVE_STARTUP_FAILURES) {
      this.failure = new ChemInternalError(`chem workers keep failing (${this.consecutiveFailures} in a row); last: ${error?.message ?? 'unknown'}`);
      for (const queued of this.queue.splice(0)) queued.reject(this.failure);
      return;
    }
    const index = this.slots.indexOf(slot);
    this.slots[index] = this.spawn();
    this.dispatch();
  }
}

function deserialize(error: SerializedError): Error {
  if (error.name === 'ChemInputError') return new ChemInputError(error.reason ?? error.message);
  return new ChemInternalError(`chem worker failed: ${error.name}: ${error.message}`);
}
