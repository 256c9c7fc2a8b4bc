import { FingerprintIndex, type SimilarityHit } from '../../chem/fingerprint-index.ts';
import { FINGERPRINT_BYTES } from '../../chem/fingerprint.ts';
import { KernelArena } from '../../chem/fingerprint-kernels.ts';
import type { SubstructureCandidate } from '../../chem/pool.ts';

/** What the index keeps per molecule: enough to rank by similarity and to run a substructure match. */
export interface IndexEntry {
  id: string;
  projectId: string | null;
  smiles: string;
  morganFp: Uint8Array;
  patternFp: Uint8Array | null;
}

/** Where the index gets its data: whole scopes on first use, single rows when another process changed them. */
export interface IndexSource {
  /** All rows of a scope, at once or page by page (pages are indexed and dropped as they arrive, saving memory). */
  loadScope(projectId: string | null): Promise<IndexEntry[]> | AsyncIterable<IndexEntry[]>;
  fetch(ids: readonly string[]): Promise<IndexEntry[]>;
}

/** Pattern fingerprints per storage block (WebAssembly memory, see chem/fingerprint-kernels.ts). */
const PATTERN_BLOCK = 64;
const scopeKey = (projectId: string | null) => projectId ?? 'public';
/** Entries indexed between yields to the event loop while a scope loads (~10–20 ms of work). */
const LOAD_SLICE = 4096;
/** Longest stretch a similarity scan runs before giving the event loop a turn. */
const SEARCH_SLICE_MS = 10;

/**
 * One scope (public reference data, or one project). Each molecule gets a small integer handle (reused after
 * removal): SMILES and ids in arrays by handle, pattern fingerprints in WebAssembly memory at the handle's position,
 * Morgan fingerprints in a FingerprintIndex keyed by handle. No object per molecule, so a million-molecule scope
 * stays within memory, and the substructure pre-screen runs as one SIMD kernel over contiguous memory.
 */
class Scope {
  readonly similarity = new FingerprintIndex<number>(2048, { denseIds: true });
  private readonly handleOf = new Map<string, number>();
  private ids: (string | undefined)[] = [];
  private smiles: (string | undefined)[] = [];
  private readonly freeHandles: number[] = [];
  private readonly patterns = new KernelArena(FINGERPRINT_BYTES + PATTERN_BLOCK * 4, PATTERN_BLOCK * FINGERPRINT_BYTES);
  private patternBlocks = 0;
  /** Counts writes, so a search that awaited can tell whether handles may have been reused meanwhile. */
  private changes = 0;

  get size(): number {
    return this.handleOf.size;
  }

  /** Bytes of fingerprint storage reserved, for memory reporting. */
  get reservedBytes(): number {
    return this.similarity.reservedBytes + this.patterns.reservedBytes;
  }

  has(id: string): boolean {
    return this.handleOf.has(id);
  }

  upsert(e: IndexEntry): void {
    this.changes++;
    let handle = this.handleOf.get(e.id);
    if (handle === undefined) {
      handle = this.freeHandles.pop() ?? this.ids.length;
      while (handle >= this.patternBlocks * PATTERN_BLOCK) {
        this.patterns.allocBlock(); // blocks are never freed here, so block numbers run 0, 1, 2, ...
        this.patternBlocks++;
      }
      this.ids[handle] = e.id;
      this.handleOf.set(e.id, handle);
    }
    this.smiles[handle] = e.smiles;
    this.similarity.add(handle, e.morganFp);
    const at = this.patternOffset(handle);
    if (e.patternFp && e.patternFp.byteLength === FINGERPRINT_BYTES) this.patterns.bytes.set(e.patternFp, at);
    else this.patterns.bytes.fill(0xff, at, at + FINGERPRINT_BYTES); // unknown pattern: never screened out
  }

  remove(id: string): boolean {
    const handle = this.handleOf.get(id);
    if (handle === undefined) return false;
    this.changes++;
    this.similarity.remove(handle);
    this.handleOf.delete(id);
    this.ids[handle] = undefined;
    this.smiles[handle] = undefined;
    this.freeHandles.push(handle);
    return true;
  }

  /** Scans in slices of SEARCH_SLICE_MS, so a large scope or a low threshold does not hold the event loop. */
  async topK(query: Uint8Array, k: number): Promise<SimilarityHit<string>[]> {
    const changes = this.changes;
    const hits = await this.similarity.topKAsync(query, k, { sliceMs: SEARCH_SLICE_MS });
    // A write between the scan's end and this line may have reused a handle: then answer from a fresh scan.
    return this.toIds(changes === this.changes ? hits : this.similarity.topK(query, k));
  }

  async threshold(query: Uint8Array, t: number): Promise<SimilarityHit<string>[]> {
    const changes = this.changes;
    const hits = await this.similarity.thresholdAsync(query, t, { sliceMs: SEARCH_SLICE_MS });
    return this.toIds(changes === this.changes ? hits : this.similarity.threshold(query, t));
  }

  private toIds(hits: SimilarityHit<number>[]): SimilarityHit<string>[] {
    return hits.map((h) => ({ id: this.ids[h.id] as string, similarity: h.similarity }));
  }

  /** Molecules that may contain the query: every bit of the query's pattern fingerprint is set in theirs. */
  candidates(queryPattern: Uint8Array, out: SubstructureCandidate[]): void {
    const memory = this.patterns.bytes;
    memory.set(queryPattern.subarray(0, FINGERPRINT_BYTES), 0);
    const outAt = FINGERPRINT_BYTES;
    const passed = new Uint32Array(memory.buffer, outAt, PATTERN_BLOCK);
    const end = this.ids.length;
    for (let block = 0; block * PATTERN_BLOCK < end; block++) {
      const first = block * PATTERN_BLOCK;
      const n = this.patterns.kernels.superset(this.patterns.blockOffset(block), Math.min(PATTERN_BLOCK, end - first), FINGERPRINT_BYTES / 16, 0, outAt);
      for (let i = 0; i < n; i++) {
        const handle = first + (passed[i] as number);
        const id = this.ids[handle];
        if (id !== undefined) out.push({ id, smiles: this.smiles[handle] as string }); // undefined: a free handle
      }
    }
  }

  private patternOffset(handle: number): number {
    return this.patterns.blockOffset(Math.floor(handle / PATTERN_BLOCK)) + (handle % PATTERN_BLOCK) * FINGERPRINT_BYTES;
  }
}

/**
 * In-memory fingerprint index per scope, built lazily on the first search that needs a scope and kept current by
 * `apply` (this process's writes, and other processes' writes announced through LISTEN/NOTIFY). Callers decide
 * which scopes a user may search; hits are re-read through RLS before they are returned.
 */
export class MoleculeSearchIndex {
  private readonly scopes = new Map<string, Promise<Scope>>();
  /** Scopes whose load finished, for synchronous reporting. */
  private readonly loaded = new Map<string, Scope>();
  private generation = 0;

  constructor(private readonly source: IndexSource) {}

  /** Number of molecules held across loaded scopes. */
  get size(): number {
    let n = 0;
    for (const s of this.loaded.values()) n += s.size;
    return n;
  }

  /** Bytes of fingerprint storage reserved across loaded scopes. */
  get reservedBytes(): number {
    let n = 0;
    for (const s of this.loaded.values()) n += s.reservedBytes;
    return n;
  }

  loadedScopes(): string[] {
    return [...this.scopes.keys()];
  }

  private scope(projectId: string | null): Promise<Scope> {
    const key = scopeKey(projectId);
    let pending = this.scopes.get(key);
    if (!pending) {
      const generation = this.generation;
      pending = (async () => {
        const loaded = this.source.loadScope(projectId);
        const pages = Symbol.asyncIterator in loaded ? loaded : [await loaded];
        const scope = new Scope();
        let indexed = 0;
        for await (const page of pages) {
          for (const e of page) {
            scope.upsert(e);
            // ~5 µs per entry: a million-molecule scope would hold the event loop for seconds in one piece.
            if (++indexed % LOAD_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
          }
        }
        // Invalidated while loading: what was read may miss changes, so read again.
        if (generation !== this.generation) return this.scope(projectId);
        this.loaded.set(key, scope);
        return scope;
      })();
      pending.catch(() => {
        if (this.scopes.get(key) === pending) this.scopes.delete(key); // a failed load is retried by the next search
      });
      this.scopes.set(key, pending);
    }
    return pending;
  }

  /** Scopes loaded or loading, once loaded; a scope whose load fails has nothing to update. */
  private async settledScopes(): Promise<Map<string, Scope>> {
    const out = new Map<string, Scope>();
    await Promise.all([...this.scopes].map(async ([key, pending]) => {
      try {
        out.set(key, await pending);
      } catch {
        // the next search retries the load, which reads the change from the database
      }
    }));
    return out;
  }

  /** Adds or replaces entries in scopes that are loaded (unloaded scopes will read them when they load). */
  async upsert(entries: readonly IndexEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const scopes = await this.settledScopes();
    for (const e of entries) {
      const key = scopeKey(e.projectId);
      // A molecule that moved scope leaves the old one (without an id → scope map, which would cost ~50 MB at 1M).
      for (const [other, scope] of scopes) if (other !== key) scope.remove(e.id);
      scopes.get(key)?.upsert(e);
    }
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const scopes = await this.settledScopes();
    for (const id of ids) for (const scope of scopes.values()) scope.remove(id);
  }

  /** Applies changes known only by id (from another process): re-reads upserted rows, drops deleted ones. */
  async apply(changes: { upserted: readonly string[]; deleted: readonly string[] }): Promise<void> {
    if (changes.deleted.length > 0) await this.remove(changes.deleted);
    if (changes.upserted.length === 0) return;
    const rows = await this.source.fetch(changes.upserted);
    const found = new Set(rows.map((r) => r.id));
    await this.remove(changes.upserted.filter((id) => !found.has(id))); // deleted again since
    await this.upsert(rows);
  }

  /** Forgets everything; scopes reload on their next search (used when change notifications may have been missed). */
  invalidate(): void {
    this.generation++;
    this.scopes.clear();
    this.loaded.clear();
  }

  async topK(projectIds: readonly (string | null)[], query: Uint8Array, k: number): Promise<SimilarityHit<string>[]> {
    const scopes = await Promise.all(projectIds.map((p) => this.scope(p)));
    const all = (await Promise.all(scopes.map((s) => s.topK(query, k)))).flat();
    return all.sort((a, b) => b.similarity - a.similarity).slice(0, k);
  }

  async threshold(projectIds: readonly (string | null)[], query: Uint8Array, t: number): Promise<SimilarityHit<string>[]> {
    const scopes = await Promise.all(projectIds.map((p) => this.scope(p)));
    return (await Promise.all(scopes.map((s) => s.threshold(query, t)))).flat().sort((a, b) => b.similarity - a.similarity);
  }

  async substructureCandidates(projectIds: readonly (string | null)[], queryPattern: Uint8Array): Promise<SubstructureCandidate[]> {
    const scopes = await Promise.all(projectIds.map((p) => this.scope(p)));
    const out: SubstructureCandidate[] = [];
    for (const s of scopes) s.candidates(queryPattern, out);
    return out;
  }
}
