/**
 * A screening form of a SMARTS query: a SMARTS that every molecule matching the original also matches, but whose
 * RDKit pattern fingerprint sets more bits, so the pre-screen lets fewer molecules through to the exact match.
 *
 * Why the original's fingerprint is weak: RDKit's pattern fingerprint only hashes atoms and bonds it can pin down.
 * A SMARTS bond written without a symbol means "single or aromatic", and a bracket atom with property primitives
 * (`[OX2H]`) is a complex query; paths through either set no bits. `C(=O)O` sets 13 bits, `C(=O)-O` 17, and
 * `[OX2H][CX4][CX4][OX2H]` almost none. Two rewrites, each keeping every match of the original:
 *
 * 1. A bracket atom that is one element (organic subset, aliphatic or aromatic) plus only H/D/X/v/x/R/charge/
 *    chirality primitives becomes the bare symbol: `[OX2H]` → `O`, `[nH]` → `n`. Dropping conjuncts can only widen
 *    the match set.
 * 2. An implicit bond next to an atom that can only be aliphatic becomes an explicit single bond `-`. "Single or
 *    aromatic" can only be single there: in a sanitized molecule (every registered one, and RDKit's own SMILES of it)
 *    an aromatic bond joins two aromatic atoms. Implicit bonds between two possibly-aromatic atoms stay as written.
 *
 * Anything the tokenizer does not know makes it give up (null), and the caller screens with the original alone. The
 * rewrite is used for screening only; the exact match always runs the original query.
 */

const ALIPHATIC = new Set(['B', 'C', 'N', 'O', 'P', 'S', 'F', 'I', 'Cl', 'Br']);
const AROMATIC = new Set(['b', 'c', 'n', 'o', 'p', 's']);
const BOND_CHARS = new Set(['-', '=', '#', ':', '~', '@', '/', '\\', '!', ';', '&', ',']);
/** Element + only primitives that narrow an atom without changing its element or aromaticity. */
const RELAXABLE_BRACKET = /^\[(Cl|Br|[BCNOPSFI]|[bcnops])((?:[HDXvxR]\d*|[+-]+\d*|@{1,2}|;)*)\]$/;

interface AtomToken {
  text: string;
  /** True only when the atom cannot be aromatic. */
  aliphatic: boolean;
}

/** Reads a bracket atom starting at `i` (nested brackets inside recursive SMARTS included); returns its end. */
function bracketEnd(query: string, i: number): number {
  let depth = 0;
  for (let j = i; j < query.length; j++) {
    if (query[j] === '[') depth++;
    else if (query[j] === ']' && --depth === 0) return j + 1;
  }
  return -1;
}

function atomAt(query: string, i: number): { atom: AtomToken; end: number } | null {
  const ch = query[i] as string;
  if (ch === '[') {
    const end = bracketEnd(query, i);
    if (end < 0) return null;
    const text = query.slice(i, end);
    const m = RELAXABLE_BRACKET.exec(text);
    if (m) return { atom: { text: m[1] as string, aliphatic: ALIPHATIC.has(m[1] as string) }, end };
    return { atom: { text, aliphatic: false }, end }; // unknown: kept as written, treated as possibly aromatic
  }
  const two = query.slice(i, i + 2);
  if (two === 'Cl' || two === 'Br') return { atom: { text: two, aliphatic: true }, end: i + 2 };
  if (ALIPHATIC.has(ch) || ch === 'A') return { atom: { text: ch, aliphatic: true }, end: i + 1 };
  if (AROMATIC.has(ch) || ch === 'a' || ch === '*') return { atom: { text: ch, aliphatic: false }, end: i + 1 };
  return null;
}

/** The screening form of `query`, or null when it cannot be derived or would not differ. */
export function screeningSmarts(query: string): string | null {
  const text = query.trim();
  let out = '';
  let i = 0;
  let previous: AtomToken | null = null; // atom the next bond attaches to
  const branches: (AtomToken | null)[] = [];
  const rings = new Map<string, { aliphatic: boolean; bonded: boolean }>();
  let bond = ''; // bond expression read since the last atom
  while (i < text.length) {
    const ch = text[i] as string;
    if (BOND_CHARS.has(ch)) {
      bond += ch;
      out += ch;
      i++;
      continue;
    }
    if (ch === '(') {
      if (bond) return null;
      branches.push(previous);
      out += ch;
      i++;
      continue;
    }
    if (ch === ')') {
      if (bond || branches.length === 0) return null;
      previous = branches.pop() ?? null;
      out += ch;
      i++;
      continue;
    }
    if (ch === '.') {
      if (bond) return null;
      previous = null;
      out += ch;
      i++;
      continue;
    }
    if (/[0-9%]/.test(ch)) {
      if (!previous) return null;
      const label = ch === '%' ? text.slice(i, i + 3) : ch;
      if (ch === '%' && !/^%\d\d$/.test(label)) return null;
      const open = rings.get(label);
      if (open) {
        rings.delete(label);
        if (!bond && !open.bonded && (open.aliphatic || previous.aliphatic)) out += '-';
      } else {
        rings.set(label, { aliphatic: previous.aliphatic, bonded: bond !== '' });
      }
      out += label;
      bond = '';
      i += label.length;
      continue;
    }
    const read = atomAt(text, i);
    if (!read) return null;
    if (previous && !bond && (previous.aliphatic || read.atom.aliphatic)) out += '-';
    out += read.atom.text;
    previous = read.atom;
    bond = '';
    i = read.end;
  }
  if (bond || branches.length > 0 || rings.size > 0) return null;
  return out === text ? null : out;
}
