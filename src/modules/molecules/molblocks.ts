import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../../lib/ts-worker.ts';

/** Converts SMILES to molblocks in a worker thread, for SD-file export. Close it when the export is done. */
export interface MolblockConverter {
  convert(smiles: string[]): Promise<string[]>;
  close(): Promise<void>;
}

export function createMolblockConverter(): MolblockConverter {
  let worker: Worker | null = null;
  let next = 1;
  const waiting = new Map<number, (molblocks: string[]) => void>();
  const failAll = (error: Error) => {
    for (const [, resolve] of waiting) resolve([]);
    waiting.clear();
    worker = null;
    void error;
  };
  const start = () => {
    const w = startTsWorker(new URL('./molblock-worker.ts', import.meta.url));
    w.on('message', (msg: { id: number; molblocks: string[] }) => {
      waiting.get(msg.id)?.(msg.molblocks);
      waiting.delete(msg.id);
    });
    w.on('error', failAll);
    w.on('exit', () => failAll(new Error('molblock worker exited')));
    return w;
  };
  return {
    convert(smiles) {
      worker ??= start();
      const id = next++;
      const w = worker;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        w.postMessage({ id, smiles });
      });
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
