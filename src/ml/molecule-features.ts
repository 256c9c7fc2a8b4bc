/**
 * Feature records for single molecules, built from what registration gives (src/chem/register.ts): the RDKit
 * descriptor record with CPA functional-group counts, and the 2,048-bit Morgan fingerprint. Pure functions; the
 * choice of fingerprint bits is learned on training rows and stored with the model.
 */
import type { DescriptorRecord } from './features.ts';

/**
 * The registered descriptors a model may use by default: RDKit `get_descriptors()` (2026.9) plus the CPA
 * functional-group counts. The Lipinski/Veber pass flags are left out: they are thresholds of descriptors that
 * are already here. Anything else in a row's record (a user's extra column such as `tm_k`) is used only when
 * the caller names it.
 */
export const MOLECULE_DESCRIPTORS: readonly string[] = [
  'exactmw', 'amw', 'lipinskiHBA', 'lipinskiHBD', 'NumRotatableBonds', 'NumHBD', 'NumHBA', 'NumHeavyAtoms', 'NumAtoms',
  'NumHeteroatoms', 'NumAmideBonds', 'FractionCSP3', 'NumRings', 'NumAromaticRings', 'NumAliphaticRings',
  'NumSaturatedRings', 'NumHeterocycles', 'NumAromaticHeterocycles', 'NumSaturatedHeterocycles',
  'NumAliphaticHeterocycles', 'NumSpiroAtoms', 'NumBridgeheadAtoms', 'NumAtomStereoCenters',
  'NumUnspecifiedAtomStereoCenters', 'labuteASA', 'tpsa', 'CrippenClogP', 'CrippenMR', 'chi0v', 'chi1v', 'chi2v',
  'chi3v', 'chi4v', 'chi0n', 'chi1n', 'chi2n', 'chi3n', 'chi4n', 'hallKierAlpha', 'kappa1', 'kappa2', 'kappa3', 'Phi',
  'hydroxyl', 'amide', 'sulfoxide', 'ether', 'primaryAmine', 'secondaryAmine', 'tertiaryAmine', 'carboxylicAcid',
  'amine', 'polarGroupTotal',
];

function get(d: DescriptorRecord, name: string): number {
  const v = d[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : NaN;
}

/**
 * Composition and density features computed from the descriptor record. Per-heavy-atom densities let a tree
 * compare a small diol with a large polyol on polarity rather than size. The record has no element counts, so
 * "carbons" is heavy atoms minus heteroatoms (exact for the C/H/O compounds that make up most CPAs and 74 % of
 * the Koop set). NaN when an input descriptor is missing, so the pipeline imputes it.
 */
export function derivedDescriptors(d: DescriptorRecord): Record<string, number> {
  const heavy = get(d, 'NumHeavyAtoms');
  const hydrogens = get(d, 'NumAtoms') - heavy;
  const hetero = get(d, 'NumHeteroatoms');
  const carbons = heavy - hetero;
  const perHeavy = (name: string): number => (heavy > 0 ? get(d, name) / heavy : NaN);
  const log1p = (v: number): number => (v >= 0 ? Math.log1p(v) : NaN);
  const lnC = log1p(carbons);
  const lnH = log1p(hydrogens);
  const lnHetero = log1p(hetero);
  return {
    hydrogenCount: hydrogens,
    carbonCount: carbons,
    heteroatomFraction: heavy > 0 ? hetero / heavy : NaN,
    hbdPerHeavyAtom: perHeavy('NumHBD'),
    hbaPerHeavyAtom: perHeavy('NumHBA'),
    hydroxylPerHeavyAtom: perHeavy('hydroxyl'),
    polarGroupsPerHeavyAtom: perHeavy('polarGroupTotal'),
    ringsPerHeavyAtom: perHeavy('NumRings'),
    rotatableBondsPerHeavyAtom: perHeavy('NumRotatableBonds'),
    tpsaPerHeavyAtom: perHeavy('tpsa'),
    hydrogensPerHeavyAtom: heavy > 0 ? hydrogens / heavy : NaN,
    aromaticRingsPerHeavyAtom: perHeavy('NumAromaticRings'),
    massPerRotatableBond: get(d, 'amw') / (1 + get(d, 'NumRotatableBonds')),
    // Logarithmic size terms in the functional form of DeRieux et al. 2018 (Atmos. Chem. Phys. 18:6331,
    // doi:10.5194/acp-18-6331-2018): Tg linear in ln nC, ln nH, ln nO and their products. Here the coefficients
    // are fitted, not taken from the paper, and heteroatoms stand in for oxygen.
    lnCarbons: lnC,
    lnHydrogens: lnH,
    lnHeteroatoms: lnHetero,
    lnCarbonsTimesLnHydrogens: lnC * lnH,
    lnCarbonsTimesLnHeteroatoms: lnC * lnHetero,
    lnMolecularWeight: get(d, 'amw') > 0 ? Math.log(get(d, 'amw')) : NaN,
    lnHbd: log1p(get(d, 'NumHBD')),
    lnRings: log1p(get(d, 'NumRings')),
    lnAromaticRings: log1p(get(d, 'NumAromaticRings')),
    lnRotatableBonds: log1p(get(d, 'NumRotatableBonds')),
    lnHydroxyls: log1p(get(d, 'hydroxyl')),
    lnCarboxylicAcids: log1p(get(d, 'carboxylicAcid')),
    lnAmides: log1p(get(d, 'amide')),
  };
}

export const DERIVED_DESCRIPTORS: readonly string[] = Object.keys(derivedDescriptors({}));

/**
 * The smooth size-and-polarity terms of the linear base model (rf/gbt fit their trees to its residuals, because
 * trees cannot extrapolate beyond the training range and Tg keeps rising with size).
 */
export const SIZE_TERMS: readonly string[] = DERIVED_DESCRIPTORS.filter((n) => n.startsWith('ln'));

const BIT_NAME = /^fp_(\d+)$/;

/** `fp_<i>`: bit i of the Morgan fingerprint as a 0/1 feature (bit i = byte i >> 3, bit i & 7; see register.ts). */
export function fingerprintBitName(bit: number): string {
  return `fp_${bit}`;
}

export function parseFingerprintBitName(name: string): number | null {
  const m = BIT_NAME.exec(name);
  return m ? Number(m[1]) : null;
}

function bitSet(fp: Uint8Array, bit: number): boolean {
  return (((fp[bit >> 3] ?? 0) >> (bit & 7)) & 1) === 1;
}

/**
 * The `max` fingerprint bits most useful as tree features on these training rows: bits set in at least
 * `minCount` rows and unset in at least `minCount` rows (a bit seen in two molecules only memorizes them),
 * most balanced first, ties by bit index so the choice is deterministic.
 */
export function selectFingerprintBits(fps: readonly Uint8Array[], max: number, minCount = Math.max(5, Math.ceil(0.03 * fps.length))): number[] {
  if (max <= 0 || fps.length === 0) return [];
  const nBits = (fps[0] as Uint8Array).length * 8;
  const counts = new Int32Array(nBits);
  for (const fp of fps) for (let b = 0; b < nBits; b++) if (bitSet(fp, b)) counts[b]!++;
  const n = fps.length;
  const candidates: number[] = [];
  for (let b = 0; b < nBits; b++) if ((counts[b] as number) >= minCount && n - (counts[b] as number) >= minCount) candidates.push(b);
  const balance = (b: number): number => Math.abs((counts[b] as number) - n / 2);
  candidates.sort((a, b) => balance(a) - balance(b) || a - b);
  return candidates.slice(0, max).sort((a, b) => a - b);
}

/**
 * The full feature record of one molecule: descriptors (including any user extras), derived descriptors and
 * the requested fingerprint bits. Extras listed in `indicatorFor` also get `<name>|or0` (value or 0) and
 * `<name>|known` (1/0), which is how a linear model uses a feature that some rows lack (e.g. a melting point).
 */
export function moleculeRecord(
  descriptors: DescriptorRecord,
  fingerprint: Uint8Array,
  bits: readonly number[],
  indicatorFor: readonly string[] = [],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(descriptors)) out[k] = typeof v === 'number' && Number.isFinite(v) ? v : NaN;
  Object.assign(out, derivedDescriptors(descriptors));
  for (const b of bits) out[fingerprintBitName(b)] = bitSet(fingerprint, b) ? 1 : 0;
  for (const name of indicatorFor) {
    const v = get(descriptors, name);
    out[`${name}|known`] = Number.isNaN(v) ? 0 : 1;
    out[`${name}|or0`] = Number.isNaN(v) ? 0 : v;
  }
  return out;
}
