import { describe, expect, it } from 'vitest';
import { fieldPath, Problem, PROBLEM_CATALOGUE, problemBody } from './problems.ts';

describe('problem details', () => {
  it('turns Ajv paths into readable field names', () => {
    expect(fieldPath('/components/2/amount')).toBe('components[2].amount');
    expect(fieldPath('', 'smiles')).toBe('smiles');
    expect(fieldPath('/a~1b/0')).toBe('a/b[0]');
  });

  it('builds RFC 9457 bodies whose status matches the catalogue', () => {
    const body = problemBody(new Problem('invalid-structure', 'bad ring', [{ field: 'smiles', message: 'bad ring' }]), { requestId: 'r1' });
    expect(body).toEqual({
      type: '/api/v1/problems/invalid-structure', title: PROBLEM_CATALOGUE['invalid-structure'].title, status: 422,
      detail: 'bad ring', code: 'invalid-structure', requestId: 'r1', errors: [{ field: 'smiles', message: 'bad ring' }],
    });
    for (const [code, entry] of Object.entries(PROBLEM_CATALOGUE)) {
      expect(new Problem(code as keyof typeof PROBLEM_CATALOGUE).status).toBe(entry.status);
    }
  });
});
