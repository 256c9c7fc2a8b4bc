import { encodeModule, op, ValType, type FunctionDef } from './wasm-encoder.ts';

/**
 * WebAssembly kernels for the in-memory fingerprint indexes, and the linear memory they run over.
 *
 * Why WebAssembly: a Tanimoto comparison of two 2048-bit fingerprints is 32 `popcnt` instructions natively, but
 * about 64 × 12 operations in JavaScript (no popcount instruction, 32-bit SWAR); scanning a million fingerprints took
 * ~110 ms in V8. `i64.popcnt` compiles to the CPU's popcnt, and the SIMD section bound below rejects most
 * candidates after reading 32 bytes instead of 256.
 *
 * Section bound. Each fingerprint is cut into 32 equal sections (for 2048 bits: one 64-bit word each) and the bit
 * count of every section is stored as a byte. Since |A∩B| ≤ Σᵢ min(|Aᵢ|, |Bᵢ|) =: M and Tanimoto = c / (|A|+|B|−c)
 * grows with c, Tanimoto(A, B) ≤ M / (|A|+|B|−M). This is a refinement of the Swamidass–Baldi count bound
 * min(|A|,|B|)/max(|A|,|B|) (Swamidass & Baldi, J. Chem. Inf. Model. 2007, 47, 302–317, doi:10.1021/ci600358f),
 * which is the 1-section case; in floating point the two divisions are correctly rounded and rounding is monotone,
 * so the computed bound never falls below the computed similarity.
 */

/** Sections per fingerprint for the bound; 32 bytes = two SIMD vectors. */
export const SECTIONS = 32;
/** Two section counts are added in one byte lane, so a section may hold at most 127 bits (3 words of 32 bits). */
export const MAX_WORDS_PER_SECTION = 3;

const { i32, i64, v128 } = ValType;

/**
 * tanimotoBlock(fp, sec, n, words64, q, qsec, minBoth, out) → hits
 * Scans n fingerprints of words64 64-bit words stored back to back at `fp`, with their section counts (32 bytes
 * each) at `sec`. All n have the same bit count b, so for a query of a bits Tanimoto = c / (a + b − c) is a function
 * of c = |A∩B| alone, increasing in c; the caller turns "similarity ≥ t" into "c ≥ minBoth" (see minCommonBits), so
 * the kernel works in integers only. Entries whose section bound M is below minBoth are skipped without reading
 * their fingerprint (c ≤ M); the others get an exact popcount. Writes (entry, c) pairs of u32 for every entry with
 * c ≥ minBoth to `out`, returns how many.
 */
function tanimotoBlock(): FunctionDef {
  const [fp, sec, n, words64, q, qsec, minBoth, out] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [e, hits, w, both, p, qp, qs0, qs1, acc, both32] = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
  const sectionMins = (offset: number, qs: number) => [op.localGet(sec), op.v128Load(offset), op.localGet(qs), op.i8x16MinU];
  return {
    name: 'tanimotoBlock',
    params: [i32, i32, i32, i32, i32, i32, i32, i32],
    results: [i32],
    locals: [i32, i32, i32, i64, i32, i32, v128, v128, v128, i32],
    body: [
      op.localGet(qsec), op.v128Load(0), op.localSet(qs0),
      op.localGet(qsec), op.v128Load(16), op.localSet(qs1),
      op.block,
      op.loop,
      op.localGet(e), op.localGet(n), op.i32GeU, op.brIf(1),
      // M = Σ min(section counts). Byte lanes of the two halves are added first: a section has at most
      // 96 bits (MAX_WORDS_PER_SECTION), so the lane sum fits a byte; then widened twice and the four lanes added.
      ...sectionMins(0, qs0), ...sectionMins(16, qs1), op.i8x16Add,
      op.i16x8ExtaddPairwiseI8x16U, op.i32x4ExtaddPairwiseI16x8U, op.localTee(acc),
      op.i32x4ExtractLane(0),
      op.localGet(acc), op.i32x4ExtractLane(1), op.i32Add,
      op.localGet(acc), op.i32x4ExtractLane(2), op.i32Add,
      op.localGet(acc), op.i32x4ExtractLane(3), op.i32Add,
      op.localGet(minBoth), op.i32GeU,
      op.if,
      op.i64Const0, op.localSet(both),
      op.localGet(fp), op.localSet(p),
      op.localGet(q), op.localSet(qp),
      op.localGet(words64), op.localSet(w),
      op.loop,
      op.localGet(both),
      op.localGet(p), op.i64Load(), op.localGet(qp), op.i64Load(), op.i64And, op.i64Popcnt, op.i64Add,
      op.localSet(both),
      op.localGet(p), op.i32Const(8), op.i32Add, op.localSet(p),
      op.localGet(qp), op.i32Const(8), op.i32Add, op.localSet(qp),
      op.localGet(w), op.i32Const(1), op.i32Sub, op.localTee(w), op.brIf(0),
      op.end,
      op.localGet(both), op.i32WrapI64, op.localTee(both32), op.localGet(minBoth), op.i32GeU,
      op.if,
      op.localGet(out), op.localGet(hits), op.i32Const(3), op.i32Shl, op.i32Add, op.localGet(e), op.i32Store(0),
      op.localGet(out), op.localGet(hits), op.i32Const(3), op.i32Shl, op.i32Add, op.localGet(both32), op.i32Store(4),
      op.localGet(hits), op.i32Const(1), op.i32Add, op.localSet(hits),
      op.end,
      op.end,
      op.localGet(fp), op.localGet(words64), op.i32Const(3), op.i32Shl, op.i32Add, op.localSet(fp),
      op.localGet(sec), op.i32Const(SECTIONS), op.i32Add, op.localSet(sec),
      op.localGet(e), op.i32Const(1), op.i32Add, op.localSet(e),
      op.br(0),
      op.end,
      op.end,
      op.localGet(hits),
    ],
  };
}

/**
 * The least c in [0, min(a, b)] with similarity(c) ≥ t, where similarity(c) = c / (a + b − c) computed in doubles
 * exactly as tanimoto() does (0 when a + b − c = 0); min(a, b) + 1 when there is none. similarity(c) is
 * non-decreasing in c (exact integers, correctly rounded division), so "c ≥ result" ⟺ "similarity(c) ≥ t".
 */
export function minCommonBits(a: number, b: number, t: number): number {
  const sum = a + b;
  const most = Math.min(a, b);
  const similarity = (c: number) => (sum - c === 0 ? 0 : c / (sum - c));
  if (sum === 0) return similarity(0) >= t ? 0 : 1;
  // Closed form c ≥ t·sum / (1 + t), then corrected for rounding in either direction.
  let c = t <= 0 ? 0 : Math.min(most + 1, Math.max(0, Math.ceil((t * sum) / (1 + t))));
  while (c > 0 && similarity(c - 1) >= t) c--;
  while (c <= most && similarity(c) < t) c++;
  return c;
}

/**
 * superset(fp, n, vectors, q, out) → count
 * For n fingerprints of `vectors` 16-byte vectors stored back to back at `fp`, writes (as u32) the index of every
 * one that has all bits of `q` set, returns how many. Stops reading an entry at its first vector lacking a bit.
 */
function superset(): FunctionDef {
  const [fp, n, vectors, q, out] = [0, 1, 2, 3, 4];
  const [e, count, v, p, qp] = [5, 6, 7, 8, 9];
  return {
    name: 'superset',
    params: [i32, i32, i32, i32, i32],
    results: [i32],
    locals: [i32, i32, i32, i32, i32],
    body: [
      op.block,
      op.loop,
      op.localGet(e), op.localGet(n), op.i32GeU, op.brIf(1),
      op.localGet(fp), op.localSet(p),
      op.localGet(q), op.localSet(qp),
      op.localGet(vectors), op.localSet(v),
      op.block,
      op.loop,
      // query & ~candidate: bits the query needs that the candidate lacks
      op.localGet(qp), op.v128Load(0), op.localGet(p), op.v128Load(0), op.v128AndNot, op.v128AnyTrue, op.brIf(1),
      op.localGet(p), op.i32Const(16), op.i32Add, op.localSet(p),
      op.localGet(qp), op.i32Const(16), op.i32Add, op.localSet(qp),
      op.localGet(v), op.i32Const(1), op.i32Sub, op.localTee(v), op.brIf(0),
      op.end,
      op.localGet(out), op.localGet(count), op.i32Const(2), op.i32Shl, op.i32Add, op.localGet(e), op.i32Store(0),
      op.localGet(count), op.i32Const(1), op.i32Add, op.localSet(count),
      op.end,
      op.localGet(fp), op.localGet(vectors), op.i32Const(4), op.i32Shl, op.i32Add, op.localSet(fp),
      op.localGet(e), op.i32Const(1), op.i32Add, op.localSet(e),
      op.br(0),
      op.end,
      op.end,
      op.localGet(count),
    ],
  };
}

interface KernelExports {
  tanimotoBlock(fp: number, sec: number, n: number, words64: number, q: number, qsec: number, minBoth: number, out: number): number;
  superset(fp: number, n: number, vectors: number, q: number, out: number): number;
}

/** The WebAssembly JS API as used here; its types live in lib.dom, which this Node project does not include. */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: object | null = null;
function kernelModule(): object {
  compiled ??= new wasm.Module(encodeModule([tanimotoBlock(), superset()]));
  return compiled;
}

const PAGE = 65536;

/**
 * One linear memory with the kernels bound to it: a scratch area at the start (query, output) and fixed-size
 * blocks after it, handed out and taken back by index. Each index owns one arena, so scopes grow independently.
 */
export class KernelArena {
  readonly kernels: KernelExports;
  readonly blockBytes: number;
  readonly scratchBytes: number;
  private readonly memory: WasmMemory;
  private blocks = 0;
  private readonly free: number[] = [];
  private view: Uint8Array;

  constructor(scratchBytes: number, blockBytes: number) {
    this.scratchBytes = align(scratchBytes, 64);
    this.blockBytes = align(blockBytes, 64);
    this.memory = new wasm.Memory({ initial: Math.ceil(this.scratchBytes / PAGE) || 1 });
    const instance = new wasm.Instance(kernelModule(), { env: { memory: this.memory } });
    this.kernels = instance.exports as unknown as KernelExports;
    this.view = new Uint8Array(this.memory.buffer);
  }

  /** The whole memory as bytes; call again after allocBlock(), which may grow (and so replace) the buffer. */
  get bytes(): Uint8Array {
    if (this.view.buffer !== this.memory.buffer) this.view = new Uint8Array(this.memory.buffer);
    return this.view;
  }

  /** Bytes reserved (scratch + blocks ever allocated), for memory reporting. */
  get reservedBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** Byte offset of a block; blocks are numbered from 0. */
  blockOffset(block: number): number {
    return this.scratchBytes + block * this.blockBytes;
  }

  allocBlock(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    const block = this.blocks++;
    const end = this.blockOffset(block + 1);
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      // Grow by 1/64 at least: few grow calls for a million inserts, little unused memory (≤ ~1.6 %). Growing does
      // not copy on 64-bit V8, which reserves address space for the whole 4 GiB up front.
      const needed = Math.ceil((end - have) / PAGE);
      this.memory.grow(Math.max(needed, Math.ceil(have / PAGE / 64)));
    }
    return block;
  }

  freeBlock(block: number): void {
    this.free.push(block);
  }
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
