import { normalizeCas, normalizeChemblId, normalizePubchemCid } from '../../chem/identifiers.ts';
import type { FieldError } from '../../app/problems.ts';

export interface IdentifierInput {
  pubchemCid?: number | string | null;
  chemblId?: string | null;
  cas?: string | null;
}

export interface NormalizedIdentifiers {
  pubchemCid?: number | null;
  chemblId?: string | null;
  cas?: string | null;
}

/**
 * Normalizes identifiers a caller sent (undefined = leave unchanged, null = clear). Returns the field errors for
 * values that are not valid (a CAS number with a wrong check digit, a malformed ChEMBL id, ...).
 */
export function normalizeIdentifiers(input: IdentifierInput, prefix = ''): { value: NormalizedIdentifiers; errors: FieldError[] } {
  const value: NormalizedIdentifiers = {};
  const errors: FieldError[] = [];
  if (input.pubchemCid !== undefined) {
    value.pubchemCid = input.pubchemCid === null ? null : normalizePubchemCid(input.pubchemCid);
    if (input.pubchemCid !== null && value.pubchemCid === null) errors.push({ field: `${prefix}pubchemCid`, message: 'is not a PubChem CID (a positive integer)' });
  }
  if (input.chemblId !== undefined) {
    value.chemblId = input.chemblId === null ? null : normalizeChemblId(input.chemblId);
    if (input.chemblId !== null && value.chemblId === null) errors.push({ field: `${prefix}chemblId`, message: 'is not a ChEMBL id (CHEMBL followed by digits)' });
  }
  if (input.cas !== undefined) {
    value.cas = input.cas === null ? null : normalizeCas(input.cas);
    if (input.cas !== null && value.cas === null) errors.push({ field: `${prefix}cas`, message: 'is not a valid CAS Registry Number (format or check digit)' });
  }
  return { value, errors };
}

/** What a free-text query could also mean as an identifier. */
export function identifierQuery(text: string): { cas: string | null; pubchemCid: number | null; chemblId: string | null } {
  const trimmed = text.trim();
  return {
    cas: /^\d{2,7}-\d{2}-\d$/.test(trimmed) ? normalizeCas(trimmed) : null,
    pubchemCid: /^(cid[\s:]*)?\d{1,12}$/i.test(trimmed) ? normalizePubchemCid(trimmed) : null,
    chemblId: normalizeChemblId(trimmed),
  };
}
