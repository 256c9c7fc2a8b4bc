import type { Mol } from './rdkit.ts';

/** ECFP4-like Morgan fingerprint: radius 2, 2048 bits. */
export const MORGAN_RADIUS = 2;
export const MORGAN_BITS = 2048;
export const FINGERPRINT_BYTES = MORGAN_BITS / 8;

const MORGAN_DETAILS = JSON.stringify({ radius: MORGAN_RADIUS, nBits: MORGAN_BITS });

/** Bit i of the result is byte i >> 3, bit (i & 7), the layout RDKit's *_as_uint8array methods use. */
export function morganFingerprint(mol: Mol): Uint8Array {
  return Uint8Array.from(mol.get_morgan_fp_as_uint8array(MORGAN_DETAILS) as Uint8Array);
}

/** RDKit pattern fingerprint (2048 bits) for substructure pre-screening. */
export function patternFingerprint(mol: Mol): Uint8Array {
  return Uint8Array.from(mol.get_pattern_fp_as_uint8array() as Uint8Array);
}

export function isBitSet(fp: Uint8Array, bit: number): boolean {
  return ((fp[bit >> 3] ?? 0) & (1 << (bit & 7))) !== 0;
}

/** Population count of a 32-bit integer (SWAR, no table). */
export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Views a fingerprint as 32-bit words; copies only when the bytes are not 4-aligned or not a multiple of 4 long. */
export function asWords(fp: Uint8Array): Uint32Array {
  if (fp.byteOffset % 4 === 0 && fp.byteLength % 4 === 0) {
    return new Uint32Array(fp.buffer, fp.byteOffset, fp.byteLength / 4);
  }
  const padded = new Uint8Array(Math.ceil(fp.byteLength / 4) * 4);
  padded.set(fp);
  return new Uint32Array(padded.buffer);
}

export function popcount(fp: Uint8Array): number {
  const words = asWords(fp);
  let n = 0;
  for (let i = 0; i < words.length; i++) n += popcount32(words[i] as number);
  return n;
}

function checkSameLength(a: Uint8Array, b: Uint8Array): void {
  if (a.byteLength !== b.byteLength) throw new RangeError(`fingerprint lengths differ: ${a.byteLength} vs ${b.byteLength} bytes`);
}

/** Tanimoto similarity |A∩B| / |A∪B|; two empty fingerprints count as identical (1). */
export function tanimoto(a: Uint8Array, b: Uint8Array): number {
  checkSameLength(a, b);
  const wa = asWords(a);
  const wb = asWords(b);
  let both = 0;
  let either = 0;
  for (let i = 0; i < wa.length; i++) {
    const x = wa[i] as number;
    const y = wb[i] as number;
    both += popcount32(x & y);
    either += popcount32(x | y);
  }
  // Two empty fingerprints carry no evidence of similarity: 0, so an empty query never matches everything.
  return either === 0 ? 0 : both / either;
}

/**
 * Substructure pre-screen: a molecule can contain the query only if every bit of the query's pattern fingerprint is
 * also set in the molecule's. False means "certainly no match"; true means "run the real match".
 */
export function isPatternSuperset(candidate: Uint8Array, query: Uint8Array): boolean {
  checkSameLength(candidate, query);
  const wc = asWords(candidate);
  const wq = asWords(query);
  for (let i = 0; i < wq.length; i++) {
    // Bits the query needs that the candidate lacks. (`c & q` is a signed int32 while the Uint32 word `q`
    // is unsigned, so comparing those two is wrong whenever bit 31 is set.)
    if (((wq[i] as number) & ~(wc[i] as number)) !== 0) return false;
  }
  return true;
}
