import { parentPort } from 'node:worker_threads';
import { loadChemContext } from '../../chem/rdkit.ts';

// SD-file export needs molblocks, which the chem pool does not produce; this short-lived worker converts SMILES
// to V2000 molblocks (with 2D coordinates) off the main thread. A SMILES RDKit cannot read gets an empty string.
const port = parentPort;
if (!port) throw new Error('molblock worker must run in a worker thread');
const ready = loadChemContext();

port.on('message', async ({ id, smiles }: { id: number; smiles: string[] }) => {
  const ctx = await ready;
  const molblocks = smiles.map((s) => {
    const mol = ctx.rdkit.get_mol(s);
    if (!mol) return '';
    try {
      if (!mol.is_valid()) return '';
      mol.set_new_coords();
      return mol.get_molblock();
    } finally {
      mol.delete();
    }
  });
  port.postMessage({ id, molblocks });
});
