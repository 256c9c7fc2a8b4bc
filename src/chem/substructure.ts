import { ChemInputError } from './errors.ts';
import { isPatternSuperset, patternFingerprint } from './fingerprint.ts';
import { MAX_INPUT_CHARS } from './input.ts';
import { clearLog, readLog, using, type ChemContext, type Mol } from './rdkit.ts';
import { screeningSmarts } from './screening-smarts.ts';

export type CandidateId = string | number;

export interface SubstructureCandidate {
  id: CandidateId;
  smiles: string;
  /** Optional stored pattern fingerprint; when given, candidates that cannot match are skipped without parsing. */
  patternFp?: Uint8Array;
}

/**
 * Parses a substructure query: as SMARTS first (so "[OX2H]" or "C=O" mean what a chemist searching means), then as
 * SMILES if it is not valid SMARTS. Caller deletes the result.
 */
export function parseQuery(ctx: ChemContext, query: string): Mol {
  const text = query.trim();
  if (!text) throw new ChemInputError('substructure query is empty');
  if (text.length > MAX_INPUT_CHARS) throw new ChemInputError(`substructure query is longer than ${MAX_INPUT_CHARS} characters`);
  clearLog(ctx);
  const smarts = ctx.rdkit.get_qmol(text);
  if (smarts && smarts.is_valid()) return smarts;
  smarts?.delete();
  const smartsWhy = readLog(ctx);
  clearLog(ctx);
  const smiles = ctx.rdkit.get_mol(text);
  if (smiles && smiles.is_valid()) return smiles;
  smiles?.delete();
  const why = readLog(ctx) || smartsWhy;
  throw new ChemInputError(`substructure query is neither valid SMARTS nor SMILES: ${why || text}`);
}

/**
 * Pattern fingerprint of a query (SMARTS/SMILES), for isPatternSuperset pre-screening: the bits of the query as
 * parsed, plus those of its screening form (screening-smarts.ts) when the query is SMARTS. Both are required by every
 * molecule that matches, so their union is still a sound screen, and a much tighter one for most queries.
 */
export function queryPatternFingerprint(ctx: ChemContext, query: string): Uint8Array {
  const fp = using(parseQuery(ctx, query), patternFingerprint);
  const screening = screeningSmarts(query);
  if (screening === null) return fp;
  const original = ctx.rdkit.get_qmol(query.trim());
  const isSmarts = !!original && original.is_valid();
  original?.delete();
  const relaxed = isSmarts ? ctx.rdkit.get_qmol(screening) : null;
  if (!relaxed || !relaxed.is_valid()) {
    relaxed?.delete();
    return fp;
  }
  const extra = using(relaxed, patternFingerprint);
  for (let i = 0; i < fp.length; i++) fp[i] = (fp[i] as number) | (extra[i] as number);
  return fp;
}

export function moleculePatternFingerprint(ctx: ChemContext, smiles: string): Uint8Array {
  const mol = ctx.rdkit.get_mol(smiles);
  if (!mol || !mol.is_valid()) {
    mol?.delete();
    throw new ChemInputError(`SMILES could not be parsed: ${smiles}`);
  }
  return using(mol, patternFingerprint);
}

/**
 * How stored candidates are parsed for matching. Candidates are registry SMILES, written by RDKit from sanitized
 * molecules, so full sanitization (kekulization, aromaticity perception, ...) only re-derives what the text already
 * says; skipping it is the bulk of the saving. Measured here over 10,000 molecules of the benchmark set, CPU per
 * candidate: full get_mol + match ≈ 120–130 µs, CANDIDATE_FAST ≈ 27–40 µs, CANDIDATE_SSSR ≈ 54 µs. Explicit
 * hydrogens are not removed (RDKit's removeHs alone cost ~60 µs per molecule here): a registered SMILES went
 * through removeHs at registration, so what it still writes as [H] is what removeHs keeps anyway. Stereo is not
 * assigned: matching ignores chirality (RDKit's default, as in the full path).
 *
 * CANDIDATE_FAST: no sanitization; RDKit then computes implicit hydrogens (updatePropertyCache) and ring membership
 * by fastFindRings. Matches equal full sanitization except for primitives that need the SSSR ring set (ring sizes
 * `r`, ring counts `R<n>`) or hybridization (`^`), which fastFindRings/no sanitization do not give.
 * CANDIDATE_SSSR: sanitization without kekulization and aromaticity perception: SSSR and hybridization are set.
 * substructure.test.ts checks both against full sanitization on ring-heavy molecules.
 */
const CANDIDATE_FAST = JSON.stringify({ sanitize: false, removeHs: false, assignStereo: false });
const CANDIDATE_SSSR = JSON.stringify({ kekulize: false, setAromaticity: false, removeHs: false, assignStereo: false });

/**
 * Whether a query uses a primitive that needs SSSR rings or hybridization: `^` anywhere, `R` followed by a digit or
 * `{`, or a lowercase `r` that is not the second letter of an element symbol (Br, Cr, Er, Fr, Ir, Pr, Sr, Zr; `Ar`
 * is taken as "aliphatic, ring size" to be safe). Errs towards true, which only costs speed.
 */
export function queryNeedsRingSizes(query: string): boolean {
  return /\^|R[0-9{]|(^|[^BCEFIPSZ])r/.test(query);
}

/**
 * Ids of candidates containing the query, in input order. Candidates whose SMILES does not parse are skipped:
 * they are stored data, not the searcher's input, and one bad row must not fail a whole search.
 */
export function substructureMatches(ctx: ChemContext, query: string, candidates: readonly SubstructureCandidate[]): CandidateId[] {
  return using(parseQuery(ctx, query), (q) => {
    const queryFp = candidates.some((c) => c.patternFp) ? patternFingerprint(q) : null;
    const details = queryNeedsRingSizes(query) ? CANDIDATE_SSSR : CANDIDATE_FAST;
    const hits: CandidateId[] = [];
    for (const candidate of candidates) {
      if (queryFp && candidate.patternFp && !isPatternSuperset(candidate.patternFp, queryFp)) continue;
      const mol = ctx.rdkit.get_mol(candidate.smiles, details);
      if (!mol) continue;
      const matched = using(mol, (m) => m.is_valid() && m.get_substruct_match(q) !== '{}');
      if (matched) hits.push(candidate.id);
    }
    return hits;
  });
}

/** All atoms and bonds of all query matches in `mol`, for highlighting. */
export function matchedAtomsAndBonds(mol: Mol, query: Mol): { atoms: number[]; bonds: number[] } {
  const parsed = JSON.parse(mol.get_substruct_matches(query)) as { atoms: number[]; bonds: number[] }[] | Record<string, never>;
  const atoms = new Set<number>();
  const bonds = new Set<number>();
  if (Array.isArray(parsed)) {
    for (const m of parsed) {
      m.atoms.forEach((a) => atoms.add(a));
      m.bonds.forEach((b) => bonds.add(b));
    }
  }
  return { atoms: [...atoms].sort((a, b) => a - b), bonds: [...bonds].sort((a, b) => a - b) };
}
