/**
 * k-nearest-neighbour models over binary fingerprints with Tanimoto (Jaccard) similarity, plus the
 * nearest-neighbour similarity used as the applicability-domain score.
 *
 * Fingerprints are packed bit vectors: a Uint8Array of nBits / 8 bytes (2,048-bit Morgan → 256 bytes), eight
 * bits per byte. Bit order inside a byte does not matter for Tanimoto, only that all fingerprints share it.
 */
import { popcount32, tanimoto } from '../chem/fingerprint.ts';
import { checkBinaryLabels, checkSerialized, type BinaryClassifier, type Regressor, type SerializedModel } from './types.ts';

/** Fingerprint repacked as 32-bit words (zero-padded) with its bit count, for fast repeated comparisons. */
export interface PackedFingerprint {
  words: Uint32Array;
  bits: number;
}

export function packFingerprint(fp: Uint8Array): PackedFingerprint {
  const words = new Uint32Array(Math.ceil(fp.length / 4));
  for (let i = 0; i < fp.length; i++) words[i >> 2]! |= (fp[i] as number) << ((i & 3) * 8);
  let bits = 0;
  for (const w of words) bits += popcount32(w);
  return { words, bits };
}

export function packedTanimoto(a: PackedFingerprint, b: PackedFingerprint): number {
  if (a.words.length !== b.words.length) throw new Error(`fingerprint lengths differ: ${a.words.length * 32} vs ${b.words.length * 32} bits`);
  let common = 0;
  for (let i = 0; i < a.words.length; i++) common += popcount32((a.words[i] as number) & (b.words[i] as number));
  const union = a.bits + b.bits - common;
  // Two empty fingerprints share no evidence of similarity; 0 keeps them out of each other's domain.
  return union === 0 ? 0 : common / union;
}

/** Tanimoto similarity of two fingerprints (0 when both are empty); one implementation, in src/chem. */
export { tanimoto };

/**
 * Applicability-domain score: the highest Tanimoto similarity between `query` and any training fingerprint
 * (0 for an empty training set). science.md §8.2 flags < 0.4 as out of domain.
 */
export function nearestNeighbourSimilarity(query: Uint8Array, trainingFps: readonly Uint8Array[]): number {
  const q = packFingerprint(query);
  let best = 0;
  for (const fp of trainingFps) {
    const s = packedTanimoto(q, packFingerprint(fp));
    if (s > best) best = s;
  }
  return best;
}

export function fingerprintToHex(fp: Uint8Array): string {
  let s = '';
  for (const b of fp) s += b.toString(16).padStart(2, '0');
  return s;
}

export function fingerprintFromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || /[^0-9a-f]/i.test(hex)) throw new Error('fingerprintFromHex: not a hex string');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export interface KnnTanimotoOptions {
  /** Neighbours used. Default 5. */
  k?: number;
  /** 'similarity': weight each neighbour by Tanimoto^power; 'uniform': plain average. Default 'similarity'. */
  weighting?: 'similarity' | 'uniform';
  /** Exponent on the similarity weight. Default 1. */
  power?: number;
}

interface Neighbour {
  index: number;
  similarity: number;
}

abstract class KnnTanimotoBase {
  readonly k: number;
  readonly weighting: 'similarity' | 'uniform';
  readonly power: number;
  protected train: PackedFingerprint[] = [];
  protected rawTrain: Uint8Array[] = [];
  protected targets: number[] = [];

  constructor(options: KnnTanimotoOptions) {
    this.k = options.k ?? 5;
    this.weighting = options.weighting ?? 'similarity';
    this.power = options.power ?? 1;
    if (!(Number.isInteger(this.k) && this.k >= 1)) throw new Error('knn: k must be an integer ≥ 1');
  }

  protected store(X: Uint8Array[], y: number[], name: string): void {
    if (X.length !== y.length) throw new Error(`${name}: ${X.length} fingerprints but ${y.length} targets`);
    if (X.length === 0) throw new Error(`${name}: no training fingerprints`);
    const len = (X[0] as Uint8Array).length;
    for (const fp of X) if (fp.length !== len) throw new Error(`${name}: fingerprints must all have ${len * 8} bits`);
    for (const v of y) if (!Number.isFinite(v)) throw new Error(`${name}: targets must be finite`);
    this.rawTrain = X.map((fp) => Uint8Array.from(fp));
    this.train = this.rawTrain.map(packFingerprint);
    this.targets = y.slice();
  }

  /** The k most similar training fingerprints, most similar first; ties go to the lower training index. */
  neighbours(query: Uint8Array): Neighbour[] {
    if (this.train.length === 0) throw new Error('knn: predict called before fit');
    const q = packFingerprint(query);
    const k = Math.min(this.k, this.train.length);
    const top: Neighbour[] = [];
    for (let i = 0; i < this.train.length; i++) {
      const s = packedTanimoto(q, this.train[i] as PackedFingerprint);
      if (top.length === k && s <= (top[k - 1] as Neighbour).similarity) continue;
      let pos = top.length;
      while (pos > 0 && (top[pos - 1] as Neighbour).similarity < s) pos--;
      top.splice(pos, 0, { index: i, similarity: s });
      if (top.length > k) top.pop();
    }
    return top;
  }

  protected weightedMean(query: Uint8Array): number {
    const nb = this.neighbours(query);
    let num = 0;
    let den = 0;
    if (this.weighting === 'similarity') {
      for (const { index, similarity } of nb) {
        const w = similarity ** this.power;
        num += w * (this.targets[index] as number);
        den += w;
      }
    }
    // With uniform weighting, or when no neighbour shares a bit with the query, fall back to a plain mean.
    if (den === 0) {
      num = 0;
      for (const { index } of nb) num += this.targets[index] as number;
      den = nb.length;
    }
    return num / den;
  }

  /** Applicability-domain score per query (highest similarity to the training set). */
  applicabilityDomain(X: Uint8Array[]): number[] {
    return X.map((q) => {
      const nb = this.neighbours(q);
      return nb.length > 0 ? (nb[0] as Neighbour).similarity : 0;
    });
  }

  protected serialize(kind: string): SerializedModel {
    if (this.train.length === 0) throw new Error('knn: cannot serialize an unfitted model');
    return {
      kind,
      formatVersion: FORMAT,
      hyperparameters: { k: this.k, weighting: this.weighting, power: this.power },
      state: { fingerprints: this.rawTrain.map(fingerprintToHex), targets: this.targets },
    };
  }

  protected restore(obj: SerializedModel): void {
    this.rawTrain = (obj.state.fingerprints as string[]).map(fingerprintFromHex);
    this.train = this.rawTrain.map(packFingerprint);
    this.targets = obj.state.targets as number[];
  }
}

const REG_KIND = 'knn-tanimoto-regressor';
const CLF_KIND = 'knn-tanimoto-classifier';
const FORMAT = 1;

function optionsFrom(obj: SerializedModel): KnnTanimotoOptions {
  const h = obj.hyperparameters;
  return { k: h.k as number, weighting: h.weighting as 'similarity' | 'uniform', power: h.power as number };
}

export class KnnTanimotoRegressor extends KnnTanimotoBase implements Regressor<Uint8Array> {
  /** Defaults: k = 5, similarity-weighted mean. */
  constructor(options: KnnTanimotoOptions = {}) {
    super(options);
  }

  fit(X: Uint8Array[], y: number[]): void {
    this.store(X, y, 'knn regressor');
  }

  predict(X: Uint8Array[]): number[] {
    return X.map((q) => this.weightedMean(q));
  }

  toJSON(): SerializedModel {
    return this.serialize(REG_KIND);
  }

  static fromJSON(obj: SerializedModel): KnnTanimotoRegressor {
    checkSerialized(obj, REG_KIND, FORMAT);
    const m = new KnnTanimotoRegressor(optionsFrom(obj));
    m.restore(obj);
    return m;
  }
}

export class KnnTanimotoClassifier extends KnnTanimotoBase implements BinaryClassifier<Uint8Array> {
  /** Defaults: k = 5; P(active) = similarity-weighted fraction of active neighbours. */
  constructor(options: KnnTanimotoOptions = {}) {
    super(options);
  }

  fit(X: Uint8Array[], y: number[]): void {
    checkBinaryLabels(y, 'knn classifier');
    this.store(X, y, 'knn classifier');
  }

  predictProba(X: Uint8Array[]): number[] {
    return X.map((q) => this.weightedMean(q));
  }

  predict(X: Uint8Array[], threshold = 0.5): number[] {
    return this.predictProba(X).map((q) => (q >= threshold ? 1 : 0));
  }

  toJSON(): SerializedModel {
    return this.serialize(CLF_KIND);
  }

  static fromJSON(obj: SerializedModel): KnnTanimotoClassifier {
    checkSerialized(obj, CLF_KIND, FORMAT);
    const m = new KnnTanimotoClassifier(optionsFrom(obj));
    m.restore(obj);
    return m;
  }
}
