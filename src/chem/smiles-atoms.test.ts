import { describe, expect, it } from 'vitest';
import { atomTokens, editAtoms, formatBracketAtom, parseBracketAtom } from './smiles-atoms.ts';

describe('atomTokens', () => {
  it('finds atoms in order, skipping bonds, branches, ring closures and dots', () => {
    expect(atomTokens('OC[C@H]1CC%12Cl.[Na+]').map((t) => t.text)).toEqual(['O', 'C', '[C@H]', 'C', 'C', 'Cl', '[Na+]']);
    expect(atomTokens('c1ccc(Br)cc1').map((t) => t.text)).toEqual(['c', 'c', 'c', 'c', 'Br', 'c', 'c']);
    expect(atomTokens('C/C=C\\[O-]').map((t) => t.text)).toEqual(['C', 'C', 'C', '[O-]']);
  });
});

describe('bracket atoms', () => {
  it.each(['[NH3+]', '[O-]', '[13C@@H]', '[nH]', '[Fe+2]', '[N@+:7]', '[2H]', '[se]'])('round-trips %s', (token) => {
    expect(formatBracketAtom(parseBracketAtom(token))).toBe(token);
  });

  it('reads counts and charges', () => {
    expect(parseBracketAtom('[NH3+]')).toMatchObject({ symbol: 'N', hCount: 3, charge: 1 });
    expect(parseBracketAtom('[O--]')).toMatchObject({ symbol: 'O', hCount: 0, charge: -2 });
    expect(parseBracketAtom('[C@@H]')).toMatchObject({ symbol: 'C', chirality: '@@', hCount: 1, charge: 0 });
  });
});

describe('editAtoms', () => {
  it('rewrites only the chosen atoms', () => {
    const out = editAtoms('[NH3+]CC(=O)[O-]', new Map([
      [0, (a) => ({ ...a, charge: 0, hCount: a.hCount - 1 })],
      [4, (a) => ({ ...a, charge: 0, hCount: a.hCount + 1 })],
    ]));
    expect(out).toBe('[NH2]CC(=O)[OH]');
  });

  it('refuses to edit an organic-subset atom', () => {
    expect(() => editAtoms('CCO', new Map([[2, (a) => a]]))).toThrow(/not a bracket atom/);
  });
});
