/**
 * External identifier checks. CAS Registry Numbers: up to 10 digits written NNNNNNN-NN-N, where the last digit is
 * a check digit: the sum of every other digit times its position counted from the right (the digit just before the
 * check digit has position 1), modulo 10 (CAS, "CAS Registry Number verification", cas.org). Example: water
 * 7732-18-5: 8*1 + 1*2 + 2*3 + 3*4 + 7*5 + 7*6 = 105, 105 mod 10 = 5.
 */

const CAS_PATTERN = /^(\d{2,7})-(\d{2})-(\d)$/;

function casCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i + 1);
  return sum % 10;
}

/** True for a correctly formatted CAS RN (hyphens required, no leading zeros) whose check digit is right. */
export function isValidCas(cas: string): boolean {
  const m = CAS_PATTERN.exec(cas);
  if (!m) return false;
  const [, first = '', second = '', check = ''] = m;
  if (first.startsWith('0')) return false;
  return casCheckDigit(first + second) === Number(check);
}

/**
 * Canonical CAS form from user input: trims, drops leading zeros, accepts missing hyphens ("7732185") and spaces
 * or other dashes as separators. Returns null if the result is not a valid CAS RN (including a wrong check digit).
 */
export function normalizeCas(input: string): string | null {
  const digits = input.trim().replace(/[\s\u2010-\u2015-]/g, '');
  if (!/^\d+$/.test(digits)) return null;
  const stripped = digits.replace(/^0+/, '');
  if (stripped.length < 5 || stripped.length > 10) return null;
  const cas = `${stripped.slice(0, -3)}-${stripped.slice(-3, -1)}-${stripped.slice(-1)}`;
  return isValidCas(cas) ? cas : null;
}

/** PubChem compound id: a positive integer. Accepts 702, "702", "CID 702", "CID:702"; returns the number or null. */
export function normalizePubchemCid(input: string | number): number | null {
  const text = typeof input === 'number' ? String(input) : input.trim().replace(/^cid[\s:]*/i, '');
  if (!/^[1-9]\d{0,11}$/.test(text)) return null;
  const cid = Number(text);
  return Number.isSafeInteger(cid) ? cid : null;
}

export function isValidPubchemCid(input: string | number): boolean {
  return normalizePubchemCid(input) !== null;
}

/** ChEMBL id: "CHEMBL" followed by digits, e.g. CHEMBL692; normalized to upper case, or null. */
export function normalizeChemblId(input: string): string | null {
  const text = input.trim().toUpperCase();
  return /^CHEMBL[1-9]\d*$/.test(text) ? text : null;
}

export function isValidChemblId(input: string): boolean {
  return normalizeChemblId(input) !== null;
}
