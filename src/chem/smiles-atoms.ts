/**
 * Just enough SMILES lexing to rewrite single atoms in place. RDKit numbers atoms in the order they appear in the
 * SMILES it parsed, so "atom i" of a molecule parsed from `smiles` is the i-th atom token here. MinimalLib cannot
 * edit atoms, and its JSON round trip drops double-bond stereo, so editing the SMILES text is the lossless route.
 */

export interface AtomToken {
  start: number;
  end: number; // exclusive
  text: string;
}

const ORGANIC_SUBSET = /^(Cl|Br|[BCNOPSFI]|[bcnops]|\*)/;

export function atomTokens(smiles: string): AtomToken[] {
  const tokens: AtomToken[] = [];
  let i = 0;
  while (i < smiles.length) {
    const ch = smiles[i] as string;
    if (ch === '[') {
      const close = smiles.indexOf(']', i);
      if (close < 0) throw new SyntaxError(`unclosed bracket atom at ${i} in ${smiles}`);
      tokens.push({ start: i, end: close + 1, text: smiles.slice(i, close + 1) });
      i = close + 1;
    } else if (ch === '%') {
      i += 3; // two-digit ring closure
    } else {
      const m = ORGANIC_SUBSET.exec(smiles.slice(i));
      if (m) {
        tokens.push({ start: i, end: i + m[0].length, text: m[0] });
        i += m[0].length;
      } else {
        i += 1; // bond, branch, ring-closure digit or dot
      }
    }
  }
  return tokens;
}

export interface BracketAtom {
  isotope: string;
  symbol: string;
  chirality: string;
  hCount: number;
  charge: number;
  atomClass: string;
}

const BRACKET = /^\[(\d*)([A-Z][a-z]?|[a-z][a-z]?|\*)(@(?:@|TH[12]|AL[12]|SP[1-3]|TB\d{1,2}|OH\d{1,2})?)?(H\d*)?([+-]+\d*)?(:\d+)?\]$/;

export function parseBracketAtom(token: string): BracketAtom {
  const m = BRACKET.exec(token);
  if (!m) throw new SyntaxError(`not a bracket atom: ${token}`);
  const [, isotope = '', symbol = '', chirality = '', h, charge, atomClass = ''] = m;
  return {
    isotope,
    symbol,
    chirality,
    hCount: h === undefined ? 0 : h.length === 1 ? 1 : Number(h.slice(1)),
    charge: parseCharge(charge),
    atomClass,
  };
}

function parseCharge(text: string | undefined): number {
  if (!text) return 0;
  const sign = text[0] === '+' ? 1 : -1;
  const digits = text.replace(/[+-]/g, '');
  return sign * (digits ? Number(digits) : text.length);
}

export function formatBracketAtom(a: BracketAtom): string {
  const h = a.hCount === 0 ? '' : a.hCount === 1 ? 'H' : `H${a.hCount}`;
  const sign = a.charge > 0 ? '+' : '-';
  const charge = a.charge === 0 ? '' : Math.abs(a.charge) === 1 ? sign : `${sign}${Math.abs(a.charge)}`;
  return `[${a.isotope}${a.symbol}${a.chirality}${h}${charge}${a.atomClass}]`;
}

export type AtomEdit = (atom: BracketAtom) => BracketAtom;

/** Returns `smiles` with the given atoms (by index) replaced by `edit(parsedBracketAtom)`. */
export function editAtoms(smiles: string, edits: Map<number, AtomEdit>): string {
  const tokens = atomTokens(smiles);
  let out = '';
  let cursor = 0;
  tokens.forEach((token, index) => {
    const edit = edits.get(index);
    if (!edit) return;
    if (!token.text.startsWith('[')) throw new SyntaxError(`atom ${index} (${token.text}) is not a bracket atom`);
    out += smiles.slice(cursor, token.start) + formatBracketAtom(edit(parseBracketAtom(token.text)));
    cursor = token.end;
  });
  return out + smiles.slice(cursor);
}
