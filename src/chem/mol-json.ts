/**
 * Reading RDKit's commonchem-style JSON (`mol.get_json()`): per-atom element, charge and hydrogen counts,
 * which MinimalLib does not expose one by one. Attribute values missing on an atom take the `defaults`.
 */
export interface JsonAtom {
  index: number;
  z: number;
  charge: number;
  implicitHs: number;
  isotope: number;
  neighbors: number[];
}

export interface JsonBond {
  atoms: [number, number];
  order: number;
}

export interface MolGraph {
  atoms: JsonAtom[];
  bonds: JsonBond[];
}

interface RawAtom { z?: number; chg?: number; impHs?: number; isotope?: number }
interface RawBond { atoms: [number, number]; bo?: number }
interface RawJson {
  defaults?: { atom?: RawAtom; bond?: { bo?: number } };
  molecules?: { atoms?: RawAtom[]; bonds?: RawBond[] }[];
}

export function parseMolJson(json: string): MolGraph {
  const raw = JSON.parse(json) as RawJson;
  const defAtom = raw.defaults?.atom ?? {};
  const defBond = raw.defaults?.bond ?? {};
  const molecule = raw.molecules?.[0] ?? {};
  const atoms: JsonAtom[] = (molecule.atoms ?? []).map((a, index) => ({
    index,
    z: a.z ?? defAtom.z ?? 6,
    charge: a.chg ?? defAtom.chg ?? 0,
    implicitHs: a.impHs ?? defAtom.impHs ?? 0,
    isotope: a.isotope ?? defAtom.isotope ?? 0,
    neighbors: [],
  }));
  const bonds: JsonBond[] = (molecule.bonds ?? []).map((b) => ({ atoms: b.atoms, order: b.bo ?? defBond.bo ?? 1 }));
  for (const { atoms: [a, b] } of bonds) {
    atoms[a]?.neighbors.push(b);
    atoms[b]?.neighbors.push(a);
  }
  return { atoms, bonds };
}
