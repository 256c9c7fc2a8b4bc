import { asWords, popcount32 } from './fingerprint.ts';

export interface SimilarityHit<Id> {
  id: Id;
  similarity: number;
}

/**
 * In-memory Tanimoto similarity index over fixed-length bit fingerprints (e.g. Morgan 2048). Pure, no I/O.
 *
 * All fingerprints live packed in one Uint32Array (slot i occupies words [i*W, (i+1)*W)), which grows by doubling;
 * removal moves the last slot into the hole so the array stays dense. Each slot's popcount is stored, because
 * Tanimoto(a, b) <= min(|a|, |b|) / max(|a|, |b|): candidates whose bit count is too far from the query's are skipped
 * without touching their words. Result order among equal similarities is unspecified.
 */
export class FingerprintIndex<Id = string> {
  readonly bits: number;
  private readonly words: number;
  private data: Uint32Array;
  private counts: Uint32Array;
  private ids: Id[] = [];
  private readonly slotOf = new Map<Id, number>();

  constructor(bits = 2048, initialCapacity = 64) {
    if (!Number.isInteger(bits) || bits <= 0 || bits % 32 !== 0) throw new RangeError(`bits must be a positive multiple of 32, got ${bits}`);
    this.bits = bits;
    this.words = bits / 32;
    const capacity = Math.max(1, initialCapacity);
    this.data = new Uint32Array(capacity * this.words);
    this.counts = new Uint32Array(capacity);
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: Id): boolean {
    return this.slotOf.has(id);
  }

  /** Adds a fingerprint, replacing any earlier one under the same id. */
  add(id: Id, fp: Uint8Array): void {
    this.checkLength(fp);
    let slot = this.slotOf.get(id);
    if (slot === undefined) {
      slot = this.ids.length;
      if (slot === this.counts.length) this.grow();
      this.ids.push(id);
      this.slotOf.set(id, slot);
    }
    const words = asWords(fp);
    this.data.set(words, slot * this.words);
    let count = 0;
    for (let i = 0; i < words.length; i++) count += popcount32(words[i] as number);
    this.counts[slot] = count;
  }

  /** Removes an id; returns whether it was present. */
  remove(id: Id): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    const last = this.ids.length - 1;
    if (slot !== last) {
      const lastId = this.ids[last] as Id;
      this.data.copyWithin(slot * this.words, last * this.words, (last + 1) * this.words);
      this.counts[slot] = this.counts[last] as number;
      this.ids[slot] = lastId;
      this.slotOf.set(lastId, slot);
    }
    this.ids.pop();
    this.slotOf.delete(id);
    return true;
  }

  /** All entries with similarity >= t, most similar first. */
  threshold(query: Uint8Array, t: number, filter?: (id: Id) => boolean): SimilarityHit<Id>[] {
    const hits: SimilarityHit<Id>[] = [];
    this.scan(query, () => t, filter, (id, similarity) => hits.push({ id, similarity }));
    return hits.sort((a, b) => b.similarity - a.similarity);
  }

  /** The k most similar entries (fewer if the index or the filter allows fewer), most similar first. */
  topK(query: Uint8Array, k: number, filter?: (id: Id) => boolean): SimilarityHit<Id>[] {
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer, got ${k}`);
    if (k === 0) return [];
    let hits: SimilarityHit<Id>[] = [];
    let floor = -1; // similarity of the current k-th best once k hits are known; only candidates >= floor matter
    const compact = () => {
      hits.sort((a, b) => b.similarity - a.similarity);
      hits = hits.slice(0, k);
      if (hits.length === k) floor = (hits[k - 1] as SimilarityHit<Id>).similarity;
    };
    this.scan(query, () => floor, filter, (id, similarity) => {
      hits.push({ id, similarity });
      if (hits.length >= 2 * k) compact();
    });
    compact();
    return hits;
  }

  private scan(
    query: Uint8Array,
    minSimilarity: () => number,
    filter: ((id: Id) => boolean) | undefined,
    emit: (id: Id, similarity: number) => void,
  ): void {
    this.checkLength(query);
    const q = asWords(query);
    let qCount = 0;
    for (let i = 0; i < q.length; i++) qCount += popcount32(q[i] as number);
    const { data, counts, ids, words } = this;
    for (let slot = 0; slot < ids.length; slot++) {
      const cCount = counts[slot] as number;
      const larger = Math.max(cCount, qCount);
      const bound = larger === 0 ? 0 : Math.min(cCount, qCount) / larger;
      const min = minSimilarity();
      if (bound < min) continue;
      const id = ids[slot] as Id;
      if (filter && !filter(id)) continue;
      let both = 0;
      const base = slot * words;
      for (let w = 0; w < words; w++) both += popcount32((data[base + w] as number) & (q[w] as number));
      const either = cCount + qCount - both;
      const similarity = either === 0 ? 0 : both / either; // same rule as tanimoto()
      if (similarity >= min) emit(id, similarity);
    }
  }

  private grow(): void {
    const capacity = this.counts.length * 2;
    const data = new Uint32Array(capacity * this.words);
    data.set(this.data);
    const counts = new Uint32Array(capacity);
    counts.set(this.counts);
    this.data = data;
    this.counts = counts;
  }

  private checkLength(fp: Uint8Array): void {
    if (fp.byteLength * 8 !== this.bits) throw new RangeError(`fingerprint has ${fp.byteLength * 8} bits, index expects ${this.bits}`);
  }
}
