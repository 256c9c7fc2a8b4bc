import { describe, expect, it } from 'vitest';
import { isValidCas, isValidChemblId, isValidPubchemCid, normalizeCas, normalizeChemblId, normalizePubchemCid } from './identifiers.ts';

// CAS numbers of common CPAs (as listed by PubChem / CAS Common Chemistry).
const KNOWN_CAS = ['7732-18-5', '67-68-5', '56-81-5', '107-21-1', '57-55-6', '75-12-7', '60-35-5', '57-13-6', '57-50-1', '6138-23-4', '107-43-7'];

describe('CAS registry numbers', () => {
  it.each(KNOWN_CAS)('accepts %s', (cas) => {
    expect(isValidCas(cas)).toBe(true);
    expect(normalizeCas(cas)).toBe(cas);
  });

  it('rejects wrong check digits, malformed text and leading zeros', () => {
    expect(isValidCas('7732-18-4')).toBe(false);
    expect(isValidCas('67-68-6')).toBe(false);
    expect(isValidCas('56-81-5 ')).toBe(false);
    expect(isValidCas('5-81-5')).toBe(false);
    expect(isValidCas('12345678-12-3')).toBe(false);
    expect(isValidCas('056-81-5')).toBe(false);
    expect(isValidCas('56815')).toBe(false);
  });

  it('normalizes user input', () => {
    expect(normalizeCas(' 56815 ')).toBe('56-81-5');
    expect(normalizeCas('0000056-81-5')).toBe('56-81-5');
    expect(normalizeCas('7732 18 5')).toBe('7732-18-5');
    expect(normalizeCas('7732\u201118\u20115')).toBe('7732-18-5');
    expect(normalizeCas('7732-18-4')).toBeNull();
    expect(normalizeCas('abc')).toBeNull();
    expect(normalizeCas('1234')).toBeNull();
  });
});

describe('PubChem CID', () => {
  it('accepts positive integers with optional CID prefix', () => {
    expect(normalizePubchemCid(753)).toBe(753);
    expect(normalizePubchemCid('753')).toBe(753);
    expect(normalizePubchemCid('CID 679')).toBe(679);
    expect(normalizePubchemCid('cid:679')).toBe(679);
    expect(isValidPubchemCid('0')).toBe(false);
    expect(isValidPubchemCid('012')).toBe(false);
    expect(isValidPubchemCid(-5)).toBe(false);
    expect(isValidPubchemCid(1.5)).toBe(false);
    expect(isValidPubchemCid('12a')).toBe(false);
  });
});

describe('ChEMBL id', () => {
  it('accepts CHEMBL + digits in any case and normalizes to upper case', () => {
    expect(normalizeChemblId(' chembl504 ')).toBe('CHEMBL504');
    expect(isValidChemblId('CHEMBL692')).toBe(true);
    expect(isValidChemblId('CHEMBL')).toBe(false);
    expect(isValidChemblId('CHEMBL0')).toBe(false);
    expect(isValidChemblId('CHEMBL12X')).toBe(false);
  });
});
