import { parentPort } from 'node:worker_threads';
import { morganFingerprint, patternFingerprint } from '../src/chem/fingerprint.ts';
import { loadChemContext } from '../src/chem/rdkit.ts';

// Benchmark helper: computes what the search index holds (canonical SMILES, Morgan and pattern fingerprints) for a
// batch of SMILES, without the descriptor work of full registration, so a million-molecule index can be built in
// minutes. Uses the same fingerprint functions as registration (src/chem/fingerprint.ts).
const port = parentPort;
if (!port) throw new Error('fp worker must run in a worker thread');
const ready = loadChemContext();

port.on('message', async ({ id, smiles }: { id: number; smiles: string[] }) => {
  const ctx = await ready;
  const out: { smiles: string; morgan: Uint8Array; pattern: Uint8Array }[] = [];
  for (const s of smiles) {
    const mol = ctx.rdkit.get_mol(s);
    if (!mol) continue;
    try {
      if (!mol.is_valid()) continue;
      out.push({ smiles: mol.get_smiles(), morgan: morganFingerprint(mol), pattern: patternFingerprint(mol) });
    } finally {
      mol.delete();
    }
  }
  port.postMessage({ id, out });
});
