import { FingerprintIndex, type SimilarityHit } from '../../chem/fingerprint-index.ts';
import { FINGERPRINT_BYTES } from '../../chem/fingerprint.ts';
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
  loadScope(projectId: string | null): Promise<IndexEntry[]>;
  fetch(ids: readonly string[]): Promise<IndexEntry[]>;
}

const PATTERN_WORDS = FINGERPRINT_BYTES / 4;
const scopeKey = (projectId: string | null) => projectId ?? 'public';

/**
 * One scope (public reference data, or one project): Morgan fingerprints in a FingerprintIndex, plus SMILES and
 * pattern fingerprints in dense parallel arrays (one Uint32Array, not an object per molecule, to keep a
 * million-molecule scope within memory).
 */
class Scope {
  readonly similarity = new FingerprintIndex<string>(2048, 1024);
  private ids: string[] = [];
  private smiles: string[] = [];
  private hasPattern: Uint8Array = new Uint8Array(1024);
  private patterns = new Uint32Array(1024 * PATTERN_WORDS);
  private readonly slotOf = new Map<string, number>();

  get size(): number {
    return this.ids.length;
  }

  upsert(e: IndexEntry): void {
    this.similarity.add(e.id, e.morganFp);
    let slot = this.slotOf.get(e.id);
    if (slot === undefined) {
      slot = this.ids.length;
      if (slot === this.hasPattern.length) this.grow();
      this.ids.push(e.id);
      this.smiles.push(e.smiles);
      this.slotOf.set(e.id, slot);
    } else {
      this.smiles[slot] = e.smiles;
    }
    if (e.patternFp && e.patternFp.byteLength === FINGERPRINT_BYTES) {
      const bytes = new Uint8Array(this.patterns.buffer, slot * FINGERPRINT_BYTES, FINGERPRINT_BYTES);
      bytes.set(e.patternFp);
      this.hasPattern[slot] = 1;
    } else {
      this.hasPattern[slot] = 0;
    }
  }

  remove(id: string): boolean {
    this.similarity.remove(id);
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    const last = this.ids.length - 1;
    if (slot !== last) {
      const lastId = this.ids[last] as string;
      this.ids[slot] = lastId;
      this.smiles[slot] = this.smiles[last] as string;
      this.hasPattern[slot] = this.hasPattern[last] as number;
      this.patterns.copyWithin(slot * PATTERN_WORDS, last * PATTERN_WORDS, (last + 1) * PATTERN_WORDS);
      this.slotOf.set(lastId, slot);
    }
    this.ids.pop();
    this.smiles.pop();
    this.slotOf.delete(id);
    return true;
  }

  /** Molecules that may contain the query: pattern bits of the query all set (or no stored pattern to check). */
  candidates(queryPattern: Uint8Array, out: SubstructureCandidate[]): void {
    const q = new Uint32Array(queryPattern.buffer.slice(queryPattern.byteOffset, queryPattern.byteOffset + FINGERPRINT_BYTES));
    const { patterns, hasPattern, ids, smiles } = this;
    for (let slot = 0; slot < ids.length; slot++) {
      if (hasPattern[slot] === 1) {
        const base = slot * PATTERN_WORDS;
        let ok = true;
        for (let w = 0; w < PATTERN_WORDS; w++) {
          // A query bit missing from the molecule. (Not `(p & q) !== q`: `&` yields a signed int32, so with the
          // top bit set it never equals the unsigned word read from a Uint32Array.)
          if (((q[w] as number) & ~(patterns[base + w] as number)) !== 0) {
            ok = false;
            break;
          }
        }
        if (!ok) continue;
      }
      out.push({ id: ids[slot] as string, smiles: smiles[slot] as string });
    }
  }

  private grow(): void {
    const capacity = this.hasPattern.length * 2;
    const has = new Uint8Array(capacity);
    has.set(this.hasPattern);
    const patterns = new Uint32Array(capacity * PATTERN_WORDS);
    patterns.set(this.patterns);
    this.hasPattern = has;
    this.patterns = patterns;
  }
}

/**
 * In-memory fingerprint index per scope, built lazily on the first search that needs a scope and kept current by
 * `apply` (this process's writes, and other processes' writes announced through LISTEN/NOTIFY). Callers decide
 * which scopes a user may search; hits are re-read through RLS before they are returned.
 */
export class MoleculeSearchIndex {
  private readonly scopes = new Map<string, Promise<Scope>>();
  private readonly scopeOfId = new Map<string, string>();
  private generation = 0;

  constructor(private readonly source: IndexSource) {}

  /** Number of molecules held across loaded scopes. */
  get size(): number {
    return this.scopeOfId.size;
  }

  loadedScopes(): string[] {
    return [...this.scopes.keys()];
  }

  private scope(projectId: string | null): Promise<Scope> {
    const key = scopeKey(projectId);
    let pending = this.scopes.get(key);
    if (!pending) {
      const generation = this.generation;
      pending = this.source.loadScope(projectId).then((entries) => {
        // Invalidated while loading: what was read may miss changes, so read again.
        if (generation !== this.generation) return this.scope(projectId);
        const scope = new Scope();
        for (const e of entries) {
          scope.upsert(e);
          this.scopeOfId.set(e.id, key);
        }
        return scope;
      });
      pending.catch(() => {
        if (this.scopes.get(key) === pending) this.scopes.delete(key); // a failed load is retried by the next search
      });
      this.scopes.set(key, pending);
    }
    return pending;
  }

  /** Adds or replaces entries in scopes that are loaded (unloaded scopes will read them when they load). */
  async upsert(entries: readonly IndexEntry[]): Promise<void> {
    for (const e of entries) {
      const key = scopeKey(e.projectId);
      const previous = this.scopeOfId.get(e.id);
      if (previous !== undefined && previous !== key) {
        const old = this.scopes.get(previous);
        if (old) (await old).remove(e.id);
        this.scopeOfId.delete(e.id);
      }
      const pending = this.scopes.get(key);
      if (!pending) continue;
      const scope = await pending;
      scope.upsert(e);
      this.scopeOfId.set(e.id, key);
    }
  }

  async remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const key = this.scopeOfId.get(id);
      if (key === undefined) continue;
      const pending = this.scopes.get(key);
      if (pending) (await pending).remove(id);
      this.scopeOfId.delete(id);
    }
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
    this.scopeOfId.clear();
  }

  async topK(projectIds: readonly (string | null)[], query: Uint8Array, k: number): Promise<SimilarityHit<string>[]> {
    const scopes = await Promise.all(projectIds.map((p) => this.scope(p)));
    const all = scopes.flatMap((s) => s.similarity.topK(query, k));
    return all.sort((a, b) => b.similarity - a.similarity).slice(0, k);
  }

  async threshold(projectIds: readonly (string | null)[], query: Uint8Array, t: number): Promise<SimilarityHit<string>[]> {
    const scopes = await Promise.all(projectIds.map((p) => this.scope(p)));
    return scopes.flatMap((s) => s.similarity.threshold(query, t)).sort((a, b) => b.similarity - a.similarity);
  }

  async substructureCandidates(projectIds: readonly (string | null)[], queryPattern: Uint8Array): Promise<SubstructureCandidate[]> {
    const scopes = await Promise.all(projectIds.map((p) => this.scope(p)));
    const out: SubstructureCandidate[] = [];
    for (const s of scopes) s.candidates(queryPattern, out);
    return out;
  }
}
