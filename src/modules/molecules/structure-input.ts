import { parseSdf } from '../../chem/sdf.ts';
import type { StructureInput } from '../../chem/pool.ts';

/**
 * The structure a caller sent: exactly one of SMILES or molblock. A molblock may be a whole SD-file record (data
 * items after "M  END", a trailing "$$$$"); only its molblock is registered. Returns an error message otherwise.
 */
export function structureInput(row: { smiles?: string; molblock?: string }): { input: StructureInput } | { error: string; field: string } {
  if (row.smiles !== undefined && row.molblock !== undefined) return { error: 'give either smiles or molblock, not both', field: 'smiles' };
  if (row.smiles !== undefined) return { input: { smiles: row.smiles } };
  if (row.molblock === undefined) return { error: 'give smiles or molblock', field: 'smiles' };
  const text = row.molblock;
  if (/^>\s*</m.test(text) || /^\$\$\$\$/m.test(text)) {
    const records = parseSdf(text);
    if (records.length !== 1) return { error: `expected one SD-file record, found ${records.length}`, field: 'molblock' };
    const record = records[0]!;
    if (record.error) return { error: `SD-file record: ${record.error}`, field: 'molblock' };
    return { input: { molblock: record.molblock } };
  }
  return { input: { molblock: text } };
}
