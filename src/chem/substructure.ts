import { ChemInputError } from './errors.ts';
import { isPatternSuperset, patternFingerprint } from './fingerprint.ts';
import { MAX_INPUT_CHARS } from './input.ts';
import { clearLog, readLog, using, type ChemContext, type Mol } from './rdkit.ts';

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

/** Pattern fingerprint of a query (SMARTS/SMILES) or of a molecule, for isPatternSuperset pre-screening. */
export function queryPatternFingerprint(ctx: ChemContext, query: string): Uint8Array {
  return using(parseQuery(ctx, query), patternFingerprint);
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
 * Ids of candidates containing the query, in input order. Candidates whose SMILES does not parse are skipped:
 * they are stored data, not the searcher's input, and one bad row must not fail a whole search.
 */
export function substructureMatches(ctx: ChemContext, query: string, candidates: readonly SubstructureCandidate[]): CandidateId[] {
  return using(parseQuery(ctx, query), (q) => {
    const queryFp = candidates.some((c) => c.patternFp) ? patternFingerprint(q) : null;
    const hits: CandidateId[] = [];
    for (const candidate of candidates) {
      if (queryFp && candidate.patternFp && !isPatternSuperset(candidate.patternFp, queryFp)) continue;
      const mol = ctx.rdkit.get_mol(candidate.smiles);
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
