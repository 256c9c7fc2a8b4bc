import { parentPort, workerData } from 'node:worker_threads';
import { handleChemRequest } from './dispatch.ts';
import { ChemInputError, ChemInternalError } from './errors.ts';
import type { RequestMessage, ResponseMessage, SerializedError } from './protocol.ts';
import { loadChemContext } from './rdkit.ts';

// One RDKit instance per worker thread. Requests arrive one at a time (the pool never sends a second request to a
// busy worker), and all RDKit work is synchronous, so no locking is needed.
const port = parentPort;
if (!port) throw new Error('chem worker must run in a worker thread');
const testHooks = Boolean((workerData as { testHooks?: boolean } | null)?.testHooks);
const contextReady = loadChemContext();

function serialize(err: unknown): SerializedError {
  if (err instanceof ChemInputError) return { name: err.name, message: err.message, reason: err.reason };
  if (err instanceof Error) return { name: err.name, message: err.message };
  // Emscripten reports C++ exceptions as bare numbers (pointers into the WASM heap).
  return { name: 'Error', message: `RDKit threw a non-Error value: ${String(err)}` };
}

port.on('message', async ({ id, request }: RequestMessage) => {
  let reply: ResponseMessage;
  try {
    const ctx = await contextReady;
    reply = { id, ok: true, result: handleChemRequest(ctx, request, testHooks) };
  } catch (err) {
    // Our own input and internal errors are raised after RDKit returned normally; anything else (a WebAssembly
    // RuntimeError, an emscripten exception) may have left the WASM heap corrupt, so this worker must be replaced.
    const poisoned = !(err instanceof ChemInputError || err instanceof ChemInternalError);
    reply = { id, ok: false, error: serialize(err), poisoned };
  }
  port.postMessage(reply);
});
