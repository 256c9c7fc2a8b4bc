import { beforeAll, describe, expect, it } from 'vitest';
import { asWords, isBitSet, isPatternSuperset, morganFingerprint, patternFingerprint, popcount, popcount32, tanimoto } from './fingerprint.ts';
import { loadChemContext, using, type ChemContext } from './rdkit.ts';

let ctx: ChemContext;
beforeAll(async () => {
  ctx = await loadChemContext();
});

function naivePopcount(fp: Uint8Array): number {
  let n = 0;
  for (const byte of fp) for (let b = 0; b < 8; b++) n += (byte >> b) & 1;
  return n;
}

function naiveTanimoto(a: Uint8Array, b: Uint8Array): number {
  let both = 0;
  let either = 0;
  for (let i = 0; i < a.length * 8; i++) {
    const x = isBitSet(a, i);
    const y = isBitSet(b, i);
    if (x && y) both++;
    if (x || y) either++;
  }
  return either === 0 ? 1 : both / either;
}

const fp = (smiles: string) => using(ctx.rdkit.get_mol(smiles)!, morganFingerprint);

describe('bit counting', () => {
  it('popcount32 counts bits of edge-case words', () => {
    expect(popcount32(0)).toBe(0);
    expect(popcount32(0xffffffff)).toBe(32);
    expect(popcount32(0x80000000)).toBe(1);
    expect(popcount32(0x55555555)).toBe(16);
    expect(popcount32(0x12345678)).toBe(13);
  });

  it('popcount and asWords handle unaligned views by copying', () => {
    const buffer = new Uint8Array(13);
    buffer.set([0, 255, 1, 3, 7, 0, 0, 0, 0, 128, 0, 0, 1]);
    const view = buffer.subarray(1); // byteOffset 1: not 4-aligned
    expect(popcount(view)).toBe(naivePopcount(view));
    expect(asWords(view).length).toBe(3);
  });
});

describe('Morgan fingerprints from RDKit', () => {
  it('uses the documented bit layout (bit i = byte i >> 3, bit i & 7), matching RDKit\'s bit string', () => {
    const mol = ctx.rdkit.get_mol('OCC(O)CO')!;
    const bits = mol.get_morgan_fp(JSON.stringify({ radius: 2, nBits: 2048 }));
    const bytes = using(mol, morganFingerprint);
    expect(bytes.length).toBe(256);
    for (let i = 0; i < 2048; i++) expect(isBitSet(bytes, i)).toBe(bits[i] === '1');
  });

  it('tanimoto matches a bit-by-bit computation on real molecules', () => {
    const smiles = ['OCC(O)CO', 'OCCO', 'CC(O)CO', 'CS(C)=O', 'OC[C@H]1OC(O)[C@H](O)[C@@H](O)[C@@H]1O', 'NC(N)=O'];
    const fps = smiles.map(fp);
    for (const a of fps) for (const b of fps) expect(tanimoto(a, b)).toBeCloseTo(naiveTanimoto(a, b), 12);
    expect(tanimoto(fps[0]!, fps[0]!)).toBe(1);
    expect(tanimoto(fp('OCCO'), fp('OCCCO'))).toBeGreaterThan(tanimoto(fp('OCCO'), fp('CS(C)=O')));
  });

  it('tanimoto rejects fingerprints of different lengths and gives 0 for two empty ones (no evidence of similarity)', () => {
    expect(() => tanimoto(new Uint8Array(8), new Uint8Array(16))).toThrow(RangeError);
    expect(tanimoto(new Uint8Array(8), new Uint8Array(8))).toBe(0);
  });
});

describe('pattern-fingerprint pre-screen', () => {
  it('never screens out a molecule that contains the query', () => {
    const pfp = (s: string) => using(ctx.rdkit.get_mol(s)!, patternFingerprint);
    const query = pfp('OCCO');
    expect(isPatternSuperset(pfp('OCC(O)CO'), query)).toBe(true);
    expect(isPatternSuperset(pfp('OCCOCCO'), query)).toBe(true);
    expect(isPatternSuperset(pfp('CCCC'), query)).toBe(false);
    expect(isPatternSuperset(pfp('CS(C)=O'), query)).toBe(false);
  });

  it('isPatternSuperset handles words with the top bit set (regression: signed vs unsigned comparison)', () => {
    const query = new Uint8Array(8);
    query[3] = 0x80; // bit 31 of the first 32-bit word
    const candidate = new Uint8Array(8);
    candidate[3] = 0x80;
    candidate[0] = 1;
    expect(isPatternSuperset(candidate, query)).toBe(true);
    expect(isPatternSuperset(new Uint8Array(8), query)).toBe(false);
  });
});
