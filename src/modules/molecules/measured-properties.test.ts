import { describe, expect, it } from 'vitest';
import type { ComponentPropertyRow, SourceRow } from '../../science/index.ts';
import { measuredProperties } from './measured-properties.ts';

const source = (id: string, doi: string | null): SourceRow => ({ id, doi, title: `Title ${id}`, authors: 'A', year: 2000, journal: 'J', url: null, note: '' });
const row = (inchikey: string, property: ComponentPropertyRow['property'], value: number, sourceId: string): ComponentPropertyRow => ({
  inchikey, name: 'x', property, value, unit: property === 'density' ? 'g/mL' : 'K', conditions: 'c', sourceId, evidence: 'V',
});

describe('measuredProperties', () => {
  const data = {
    sources: [source('a', '10.1/a'), source('b', null)],
    componentProperties: [
      row('KEY-1', 'tg', 190, 'a'),
      row('KEY-2', 'tg', 150, 'a'),
      row('KEY-1', 'density', 1.26, 'b'),
      row('KEY-1', 'tg', 185, 'b'),
    ],
  };

  it('keeps only the structure\'s rows, in file order, with their citation', () => {
    const rows = measuredProperties(data, 'KEY-1');
    expect(rows.map((r) => [r.property, r.value])).toEqual([['tg', 190], ['density', 1.26], ['tg', 185]]);
    expect(rows[0]!.source).toMatchObject({ id: 'a', doi: '10.1/a', title: 'Title a' });
    expect(rows[1]!.source).toMatchObject({ id: 'b', doi: null });
  });

  it('marks the first row of each property as the one calculations use', () => {
    expect(measuredProperties(data, 'KEY-1').map((r) => r.usedInCalculations)).toEqual([true, true, false]);
  });

  it('answers an empty list for a structure without reference values', () => {
    expect(measuredProperties(data, 'NONE')).toEqual([]);
  });
});
