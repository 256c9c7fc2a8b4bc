import { asWords, popcount32 } from './fingerprint.ts';
import { KernelArena, MAX_WORDS_PER_SECTION, minCommonBits, SECTIONS } from './fingerprint-kernels.ts';

export interface SimilarityHit<Id> {
  id: Id;
  similarity: number;
}

export interface FingerprintIndexOptions {
  /**
   * Entries per storage block, smallest and largest. Blocks start small (little memory for small indexes) and grow
   * 4× at a time as the index grows (about size / 64 entries each), because the scan reads each block's section
   * counts as one run: with 64-entry blocks a 1M-entry scan is bound by memory latency (~15 ns per entry here), with
   * 1024-entry blocks the hardware prefetcher keeps up (~3–5 ns). Defaults 64 and 1024; tests use tiny blocks.
   */
  blockEntries?: { min: number; max: number };
  /**
   * Ids are small non-negative integers (handles a caller reuses, like the registry's scopes): id → slot is then a
   * typed array instead of a Map, ~4 bytes per id instead of ~30.
   */
  denseIds?: boolean;
}

/** id → slot. */
interface SlotTable<Id> {
  readonly size: number;
  get(id: Id): number | undefined;
  set(id: Id, slot: number): void;
  delete(id: Id): void;
}

class DenseSlots implements SlotTable<number> {
  size = 0;
  private slots = new Int32Array(1024).fill(-1);
  get(id: number): number | undefined {
    const slot = this.slots[id];
    return slot === undefined || slot < 0 ? undefined : slot;
  }
  set(id: number, slot: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= 2 ** 31) throw new RangeError(`dense ids must be integers in [0, 2^31), got ${id}`);
    if (id >= this.slots.length) {
      const grown = new Int32Array(Math.max(id + 1, this.slots.length * 2)).fill(-1);
      grown.set(this.slots);
      this.slots = grown;
    }
    if ((this.slots[id] as number) < 0) this.size++;
    this.slots[id] = slot;
  }
  delete(id: number): void {
    if (this.get(id) === undefined) return;
    this.slots[id] = -1;
    this.size--;
  }
}

/** Scans that pause this many times only to find the index changed finish without pausing. */
const MAX_RESTARTS = 2;

/** What a scan feeds its hits to: the minimum similarity still of interest, and the result. */
interface Search<Id> {
  readonly floor: number;
  add(id: Id, similarity: number): void;
  result(): SimilarityHit<Id>[];
}

class ThresholdSearch<Id> implements Search<Id> {
  private readonly hits: SimilarityHit<Id>[] = [];
  constructor(readonly floor: number) {}
  add(id: Id, similarity: number): void {
    this.hits.push({ id, similarity });
  }
  result(): SimilarityHit<Id>[] {
    return this.hits.sort((a, b) => b.similarity - a.similarity);
  }
}

class TopKSearch<Id> implements Search<Id> {
  /** Similarity of the current k-th best once k hits are known; only candidates >= floor matter. */
  floor = -1;
  private hits: SimilarityHit<Id>[] = [];
  constructor(private readonly k: number) {
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer, got ${k}`);
    if (k === 0) this.floor = Number.POSITIVE_INFINITY; // nothing qualifies, so the scan stops at once
  }
  add(id: Id, similarity: number): void {
    if (similarity < this.floor) return;
    this.hits.push({ id, similarity });
    if (this.hits.length >= 2 * this.k) this.compact();
  }
  result(): SimilarityHit<Id>[] {
    this.compact();
    return this.hits;
  }
  private compact(): void {
    this.hits.sort((a, b) => b.similarity - a.similarity);
    this.hits = this.hits.slice(0, this.k);
    if (this.k > 0 && this.hits.length === this.k) this.floor = (this.hits[this.k - 1] as SimilarityHit<Id>).similarity;
  }
}

/** Drives a scan without pausing (the synchronous searches). */
function runToEnd(steps: Generator<void, void, void>): void {
  for (let step = steps.next(); !step.done; step = steps.next()) {
    // nothing to do between blocks
  }
}

/** Where entries live: replaced wholesale when blocks grow. */
interface Layout {
  blockEntries: number;
  arena: KernelArena;
  /** Block numbers per bit count; the last block of a bucket may be partly filled, the others are full. */
  buckets: number[][];
  blockFill: number[];
  blockBits: number[];
  /** Id per slot (block * blockEntries + position). */
  ids: unknown[];
}

/**
 * In-memory Tanimoto similarity index over fixed-length bit fingerprints (e.g. Morgan 2048). Pure, no I/O.
 *
 * Layout. Entries are grouped by bit count ("popcount buckets"), each bucket a list of blocks in a WebAssembly
 * memory (fingerprint-kernels.ts): the block's fingerprints back to back, then one byte per section per entry for
 * the section bound. Insertion appends to its bucket's last block; removal moves the bucket's last entry into the
 * hole, so blocks stay dense and buckets stay sorted by construction.
 *
 * Search. For a query with a bits and a bucket with b, no entry can score above min(a,b)/max(a,b) (Swamidass &
 * Baldi, doi:10.1021/ci600358f). Threshold search visits only buckets whose bound reaches t; top-k visits buckets in
 * decreasing bound and stops once the bound falls below the current k-th best. Inside a block the kernel rejects most
 * entries with the section bound and counts |A∩B| exactly for the rest. Results equal a brute-force scan's
 * (fingerprint-index.test.ts checks this); order among equal similarities is unspecified.
 */
export class FingerprintIndex<Id = string> {
  readonly bits: number;
  private readonly bytes: number;
  private readonly stride: number;
  private readonly words64: number;
  private readonly wordsPerSection: number;
  private readonly minBlock: number;
  private readonly maxBlock: number;
  /** Scratch layout: query fingerprint, query section counts, kernel output (two u32 per hit). */
  private readonly queryAt = 0;
  private readonly querySectionsAt: number;
  private readonly outAt: number;
  private layout: Layout;
  private readonly nonEmpty = new Set<number>();
  private readonly slotOf: SlotTable<Id>;
  /** Bumped by every add and remove, so a paused scan knows its slots may have moved. */
  private version = 0;

  constructor(bits = 2048, options: FingerprintIndexOptions = {}) {
    if (!Number.isInteger(bits) || bits <= 0 || bits % 32 !== 0) throw new RangeError(`bits must be a positive multiple of 32, got ${bits}`);
    const words32 = bits / 32;
    this.wordsPerSection = Math.ceil(words32 / SECTIONS);
    if (this.wordsPerSection > MAX_WORDS_PER_SECTION) throw new RangeError(`fingerprints of up to ${SECTIONS * MAX_WORDS_PER_SECTION * 32} bits are supported, got ${bits}`);
    const { min = 64, max = 1024 } = options.blockEntries ?? {};
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max < min) throw new RangeError(`blockEntries must be integers with 1 <= min <= max, got ${min}, ${max}`);
    this.minBlock = min;
    this.maxBlock = max;
    this.slotOf = options.denseIds ? (new DenseSlots() as unknown as SlotTable<Id>) : new Map<Id, number>(); // dense: Id is number
    this.bits = bits;
    this.bytes = bits / 8;
    this.stride = Math.ceil(this.bytes / 16) * 16; // whole 16-byte vectors; the padding stays zero
    this.words64 = this.stride / 8;
    this.querySectionsAt = this.stride;
    this.outAt = this.stride + SECTIONS;
    this.layout = this.emptyLayout(min);
  }

  get size(): number {
    return this.slotOf.size;
  }

  /** Bytes of fingerprint storage reserved (WebAssembly memory), for memory reporting. */
  get reservedBytes(): number {
    return this.layout.arena.reservedBytes;
  }

  has(id: Id): boolean {
    return this.slotOf.get(id) !== undefined;
  }

  /** Adds a fingerprint, replacing any earlier one under the same id. */
  add(id: Id, fp: Uint8Array): void {
    this.checkLength(fp);
    this.remove(id); // its bit count, and so its bucket, may change
    this.version++;
    const words = asWords(fp);
    let count = 0;
    for (let i = 0; i < words.length; i++) count += popcount32(words[i] as number);
    const { block, position } = this.append(this.layout, count, 1);
    const { arena, blockEntries } = this.layout;
    const base = arena.blockOffset(block);
    const memory = arena.bytes;
    const at = base + position * this.stride;
    memory.set(fp, at);
    memory.fill(0, at + this.bytes, at + this.stride);
    this.writeSections(words, memory, base + blockEntries * this.stride + position * SECTIONS);
    const slot = block * blockEntries + position;
    this.layout.ids[slot] = id;
    this.slotOf.set(id, slot);
    this.nonEmpty.add(count);
    const wanted = this.wantedBlockEntries();
    if (wanted >= 4 * blockEntries) this.relayout(wanted);
  }

  /** Removes an id; returns whether it was present. */
  remove(id: Id): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    this.version++;
    this.slotOf.delete(id);
    const { arena, blockEntries, buckets, blockFill, blockBits, ids } = this.layout;
    const block = Math.floor(slot / blockEntries);
    const position = slot % blockEntries;
    const count = blockBits[block] as number;
    const bucket = buckets[count] as number[];
    const last = bucket.at(-1) as number;
    const lastPosition = (blockFill[last] as number) - 1;
    const lastSlot = last * blockEntries + lastPosition;
    if (lastSlot !== slot) {
      // Move the bucket's last entry into the hole.
      const memory = arena.bytes;
      const from = arena.blockOffset(last);
      const to = arena.blockOffset(block);
      memory.copyWithin(to + position * this.stride, from + lastPosition * this.stride, from + (lastPosition + 1) * this.stride);
      const fromSections = from + blockEntries * this.stride;
      const toSections = to + blockEntries * this.stride;
      memory.copyWithin(toSections + position * SECTIONS, fromSections + lastPosition * SECTIONS, fromSections + (lastPosition + 1) * SECTIONS);
      const moved = ids[lastSlot] as Id;
      ids[slot] = moved;
      this.slotOf.set(moved, slot);
    }
    ids[lastSlot] = undefined;
    blockFill[last] = lastPosition;
    if (lastPosition === 0) {
      bucket.pop();
      arena.freeBlock(last);
      if (bucket.length === 0) this.nonEmpty.delete(count);
    }
    return true;
  }

  /** All entries with similarity >= t, most similar first. */
  threshold(query: Uint8Array, t: number, filter?: (id: Id) => boolean): SimilarityHit<Id>[] {
    const search = new ThresholdSearch<Id>(t);
    runToEnd(this.scan(query, search, filter));
    return search.result();
  }

  /** The k most similar entries (fewer if the index or the filter allows fewer), most similar first. */
  topK(query: Uint8Array, k: number, filter?: (id: Id) => boolean): SimilarityHit<Id>[] {
    const search = new TopKSearch<Id>(k);
    runToEnd(this.scan(query, search, filter));
    return search.result();
  }

  /**
   * threshold() that gives the event loop a turn every `sliceMs` of scanning (a low threshold over a large index
   * runs for tens or hundreds of milliseconds). If the index changes during a pause the scan starts over, as slots may
   * have moved; after MAX_RESTARTS it finishes without pausing, so a busy writer cannot starve it.
   */
  thresholdAsync(query: Uint8Array, t: number, options: { sliceMs?: number; filter?: (id: Id) => boolean } = {}): Promise<SimilarityHit<Id>[]> {
    return this.runSliced(query, () => new ThresholdSearch<Id>(t), options);
  }

  /** topK() that gives the event loop a turn every `sliceMs`; see thresholdAsync. */
  topKAsync(query: Uint8Array, k: number, options: { sliceMs?: number; filter?: (id: Id) => boolean } = {}): Promise<SimilarityHit<Id>[]> {
    return this.runSliced(query, () => new TopKSearch<Id>(k), options);
  }

  private async runSliced(
    query: Uint8Array,
    start: () => Search<Id>,
    { sliceMs = 10, filter }: { sliceMs?: number; filter?: (id: Id) => boolean },
  ): Promise<SimilarityHit<Id>[]> {
    for (let attempt = 0; ; attempt++) {
      const search = start();
      const version = this.version;
      const steps = this.scan(query, search, filter);
      let sliceStarted = performance.now();
      let changed = false;
      for (let step = steps.next(); !step.done; step = steps.next()) {
        if (attempt >= MAX_RESTARTS || performance.now() - sliceStarted < sliceMs) continue;
        await new Promise((resolve) => setImmediate(resolve));
        if (this.version !== version) {
          changed = true;
          break;
        }
        sliceStarted = performance.now();
      }
      if (!changed) return search.result();
    }
  }

  /**
   * Feeds `search` every entry scoring >= its minimum (read again after every block, so top-k can tighten it),
   * visiting buckets from the highest count bound down and stopping when the bound drops below the minimum. Yields
   * after every block; the caller may pause there (the query is written to scratch memory again on resuming, since
   * another search may have used it meanwhile), but must abandon the scan if the index changed in between.
   */
  private *scan(query: Uint8Array, search: Search<Id>, filter: ((id: Id) => boolean) | undefined): Generator<void, void, void> {
    const minSimilarity = () => search.floor;
    const emit = (id: Id, similarity: number) => search.add(id, similarity);
    this.checkLength(query);
    const q = asWords(query);
    let qCount = 0;
    for (let i = 0; i < q.length; i++) qCount += popcount32(q[i] as number);
    const { arena, blockEntries, buckets, blockFill, ids } = this.layout;
    const memory = arena.bytes;
    const writeQuery = () => {
      memory.set(query, this.queryAt);
      memory.fill(0, this.queryAt + this.bytes, this.queryAt + this.stride);
      this.writeSections(q, memory, this.querySectionsAt);
    };
    writeQuery();
    const out = new Uint32Array(memory.buffer, this.outAt, blockEntries * 2);
    const bound = (count: number) => {
      const larger = Math.max(count, qCount);
      return larger === 0 ? 0 : Math.min(count, qCount) / larger;
    };
    const order = [...this.nonEmpty].map((count) => ({ count, bound: bound(count) })).sort((a, b) => b.bound - a.bound);
    const { kernels } = arena;
    for (const { count, bound: countBound } of order) {
      if (countBound < minSimilarity()) break;
      for (const block of buckets[count] as number[]) {
        // Whole blocks per call: splitting them so a top-k floor can rise sooner measured slower (call overhead).
        const minBoth = minCommonBits(qCount, count, minSimilarity());
        if (minBoth > Math.min(qCount, count)) break; // top-k's floor rose above this bucket's bound
        const base = arena.blockOffset(block);
        const n = kernels.tanimotoBlock(base, base + blockEntries * this.stride, blockFill[block] as number, this.words64,
          this.queryAt, this.querySectionsAt, minBoth, this.outAt);
        for (let h = 0; h < n; h++) {
          const id = ids[block * blockEntries + (out[2 * h] as number)] as Id;
          if (filter && !filter(id)) continue;
          const both = out[2 * h + 1] as number;
          const either = qCount + count - both;
          emit(id, either === 0 ? 0 : both / either); // same rule as tanimoto()
        }
        yield;
        writeQuery();
      }
    }
  }

  private emptyLayout(blockEntries: number): Layout {
    const buckets: number[][] = [];
    for (let b = 0; b <= this.bits; b++) buckets.push([]);
    return {
      blockEntries,
      arena: new KernelArena(this.outAt + this.maxBlock * 8, blockEntries * (this.stride + SECTIONS)),
      buckets, blockFill: [], blockBits: [], ids: [],
    };
  }

  /** Room for up to `wanted` entries at the end of a bucket: its last block, or a new one. */
  private append(layout: Layout, count: number, wanted: number): { block: number; position: number; room: number } {
    const bucket = layout.buckets[count] as number[];
    let block = bucket.at(-1);
    if (block === undefined || layout.blockFill[block] === layout.blockEntries) {
      block = layout.arena.allocBlock();
      layout.blockFill[block] = 0;
      layout.blockBits[block] = count;
      bucket.push(block);
    }
    const position = layout.blockFill[block] as number;
    const room = Math.min(wanted, layout.blockEntries - position);
    layout.blockFill[block] = position + room;
    return { block, position, room };
  }

  private wantedBlockEntries(): number {
    let wanted = this.minBlock;
    while (wanted * 2 <= this.maxBlock && wanted * 2 * 64 <= this.size) wanted *= 2;
    return wanted;
  }

  /** Copies every entry into blocks of `blockEntries`, bucket by bucket (so each bucket's blocks are adjacent). */
  private relayout(blockEntries: number): void {
    const old = this.layout;
    const next = this.emptyLayout(blockEntries);
    for (const count of [...this.nonEmpty].sort((a, b) => a - b)) {
      for (const oldBlock of old.buckets[count] as number[]) {
        const oldBase = old.arena.blockOffset(oldBlock);
        const fill = old.blockFill[oldBlock] as number;
        for (let done = 0; done < fill;) {
          const { block, position, room } = this.append(next, count, fill - done);
          const base = next.arena.blockOffset(block);
          const from = old.arena.bytes;
          const to = next.arena.bytes;
          to.set(from.subarray(oldBase + done * this.stride, oldBase + (done + room) * this.stride), base + position * this.stride);
          const oldSections = oldBase + old.blockEntries * this.stride;
          to.set(from.subarray(oldSections + done * SECTIONS, oldSections + (done + room) * SECTIONS), base + blockEntries * this.stride + position * SECTIONS);
          for (let i = 0; i < room; i++) {
            const id = old.ids[oldBlock * old.blockEntries + done + i] as Id;
            const slot = block * blockEntries + position + i;
            next.ids[slot] = id;
            this.slotOf.set(id, slot);
          }
          done += room;
        }
      }
    }
    this.layout = next;
  }

  /** Bit count of each section as one byte, SECTIONS bytes (unused sections stay 0). */
  private writeSections(words: Uint32Array, memory: Uint8Array, at: number): void {
    const per = this.wordsPerSection;
    for (let s = 0; s < SECTIONS; s++) {
      let n = 0;
      const end = Math.min(words.length, (s + 1) * per);
      for (let w = s * per; w < end; w++) n += popcount32(words[w] as number);
      memory[at + s] = n;
    }
  }

  private checkLength(fp: Uint8Array): void {
    if (fp.byteLength * 8 !== this.bits) throw new RangeError(`fingerprint has ${fp.byteLength * 8} bits, index expects ${this.bits}`);
  }
}
