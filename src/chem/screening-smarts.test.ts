import { describe, expect, it } from 'vitest';
import { screeningSmarts } from './screening-smarts.ts';

describe('screeningSmarts', () => {
  it('relaxes simple bracket atoms and makes bonds next to aliphatic atoms explicit single bonds', () => {
    expect(screeningSmarts('[OX2H][CX4][CX4][OX2H]')).toBe('O-C-C-O');
    expect(screeningSmarts('c1ccccc1C(=O)N')).toBe('c1ccccc1-C(=O)-N');
    expect(screeningSmarts('C(=O)O')).toBe('C(=O)-O');
    expect(screeningSmarts('[N+](=O)[O-]')).toBe('N(=O)-O');
    expect(screeningSmarts('[nH]1cccc1')).toBe('n1cccc1');
    expect(screeningSmarts('ClCBr')).toBe('Cl-C-Br');
  });

  it('handles ring closures (bond at either end), %nn labels, branches and components', () => {
    expect(screeningSmarts('C1CCCCC1')).toBe('C1-C-C-C-C-C-1');
    expect(screeningSmarts('C=1CCCCC1')).toBe('C=1-C-C-C-C-C1');
    expect(screeningSmarts('C%10CC%10')).toBe('C%10-C-C-%10');
    expect(screeningSmarts('CC(C)(C)O.N')).toBe('C-C(-C)(-C)-O.N');
  });

  it('leaves bonds between possibly aromatic atoms and atoms it does not understand as they are', () => {
    expect(screeningSmarts('c1ccncc1')).toBeNull(); // nothing to change
    expect(screeningSmarts('[#6]-[#8]')).toBeNull();
    expect(screeningSmarts('[C,c]O')).toBe('[C,c]-O'); // O is aliphatic, so the bond is single whatever C,c is
    expect(screeningSmarts('[C,c][C,c]')).toBeNull();
    expect(screeningSmarts('[$(C=O)]O')).toBe('[$(C=O)]-O');
    expect(screeningSmarts('[Cr]C')).toBe('[Cr]-C'); // chromium is not relaxed to carbon
    expect(screeningSmarts('[13C]c')).toBeNull();
  });

  it('gives up on what it cannot read', () => {
    for (const q of ['C(', 'C)', 'C1CC', 'C=', '[C', 'C>>O', 'C=(O)', '%1C']) expect(screeningSmarts(q), q).toBeNull();
  });
});
