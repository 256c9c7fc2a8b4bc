import { describe, expect, it } from 'vitest';
import { DERIVED_DESCRIPTORS, derivedDescriptors, moleculeRecord, parseFingerprintBitName, selectFingerprintBits, SIZE_TERMS } from './molecule-features.ts';

// Glycerol as registration describes it (src/chem: OCC(O)CO): 6 heavy atoms, 14 atoms, 3 heteroatoms, 3 OH.
const glycerol = { NumHeavyAtoms: 6, NumAtoms: 14, NumHeteroatoms: 3, NumHBD: 3, NumHBA: 3, hydroxyl: 3, polarGroupTotal: 3, NumRings: 0, NumRotatableBonds: 2, tpsa: 60.69, amw: 92.094, NumAromaticRings: 0, carboxylicAcid: 0, amide: 0 };

function fpWith(bits: number[]): Uint8Array {
  const fp = new Uint8Array(256);
  for (const b of bits) fp[b >> 3]! |= 1 << (b & 7);
  return fp;
}

describe('derivedDescriptors', () => {
  it('derives composition and density terms (C3H8O3)', () => {
    const d = derivedDescriptors(glycerol);
    expect(d.hydrogenCount).toBe(8);
    expect(d.carbonCount).toBe(3);
    expect(d.hydroxylPerHeavyAtom).toBeCloseTo(0.5, 12);
    expect(d.lnCarbons).toBeCloseTo(Math.log(4), 12);
    expect(d.lnCarbonsTimesLnHydrogens).toBeCloseTo(Math.log(4) * Math.log(9), 12);
    expect(Object.keys(d)).toEqual([...DERIVED_DESCRIPTORS]);
    expect(SIZE_TERMS.every((n) => n.startsWith('ln'))).toBe(true);
  });

  it('gives NaN (to be imputed) when the inputs are missing', () => {
    const d = derivedDescriptors({});
    expect(Object.values(d).every(Number.isNaN)).toBe(true);
  });
});

describe('selectFingerprintBits', () => {
  it('keeps bits that are neither rare nor near-universal, most balanced first, deterministically', () => {
    // Bit 1 in 10 of 20 rows (balanced), bit 2 in 6, bit 3 in 2 (too rare), bit 4 in 19 (too common).
    const fps = Array.from({ length: 20 }, (_, i) => fpWith([...(i < 10 ? [1] : []), ...(i < 6 ? [2] : []), ...(i < 2 ? [3] : []), ...(i < 19 ? [4] : [])]));
    expect(selectFingerprintBits(fps, 10, 5)).toEqual([1, 2]);
    expect(selectFingerprintBits(fps, 1, 5)).toEqual([1]);
    expect(selectFingerprintBits(fps, 0, 5)).toEqual([]);
  });
});

describe('moleculeRecord', () => {
  it('materializes requested bits and value/known pairs for extras', () => {
    const rec = moleculeRecord({ ...glycerol, tm_k: 291 }, fpWith([5]), [5, 6], ['tm_k', 'bp_k']);
    expect(rec.fp_5).toBe(1);
    expect(rec.fp_6).toBe(0);
    expect(rec['tm_k|or0']).toBe(291);
    expect(rec['tm_k|known']).toBe(1);
    expect(rec['bp_k|or0']).toBe(0);
    expect(rec['bp_k|known']).toBe(0);
    expect(parseFingerprintBitName('fp_2047')).toBe(2047);
    expect(parseFingerprintBitName('fp_x')).toBeNull();
  });
});
