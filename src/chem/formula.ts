import type { MolGraph } from './mol-json.ts';

// Index = atomic number; index 0 is the dummy atom, which registration rejects before a formula is needed.
const ELEMENTS = (
  '* H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr ' +
  'Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu ' +
  'Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr ' +
  'Rf Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og'
).split(' ');

export function elementSymbol(z: number): string {
  const symbol = ELEMENTS[z];
  if (symbol === undefined) throw new RangeError(`no element with atomic number ${z}`);
  return symbol;
}

/** Element counts including implicit hydrogens; isotopes are counted under their element. */
export function elementCounts(graph: MolGraph): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (symbol: string, n: number) => {
    if (n > 0) counts.set(symbol, (counts.get(symbol) ?? 0) + n);
  };
  for (const atom of graph.atoms) {
    add(elementSymbol(atom.z), 1);
    add('H', atom.implicitHs);
  }
  return counts;
}

/**
 * Molecular formula in Hill order (C, then H, then the rest alphabetically; purely alphabetical when there is no
 * carbon), net charge appended as RDKit's CalcMolFormula does ("+", "-2").
 */
export function hillFormula(graph: MolGraph): string {
  const counts = elementCounts(graph);
  const term = (symbol: string) => {
    const n = counts.get(symbol) ?? 0;
    return n === 0 ? '' : n === 1 ? symbol : `${symbol}${n}`;
  };
  const symbols = [...counts.keys()].sort();
  let formula: string;
  if (counts.has('C')) {
    formula = term('C') + term('H') + symbols.filter((s) => s !== 'C' && s !== 'H').map(term).join('');
  } else {
    formula = symbols.map(term).join('');
  }
  const charge = graph.atoms.reduce((sum, a) => sum + a.charge, 0);
  if (charge !== 0) {
    const sign = charge > 0 ? '+' : '-';
    formula += Math.abs(charge) === 1 ? sign : `${sign}${Math.abs(charge)}`;
  }
  return formula;
}
