import type { DepictInput } from './depict.ts';
import type { StructureInput } from './input.ts';
import type { RegisteredStructure } from './register.ts';

/** Messages between the pool (main thread) and a chem worker. */
export type ChemRequest =
  | { kind: 'register'; input: StructureInput }
  | { kind: 'depict'; input: DepictInput }
  /**
   * Candidates travel as one newline-joined string (SMILES never contain a newline) and optional pattern
   * fingerprints packed 256 bytes each: cloning 450,000 {id, smiles} objects to a worker blocked the main thread for
   * ~1.1 s here, one joined string ~30 ms. The worker answers with the indexes of the matching candidates.
   */
  | { kind: 'substructureSearch'; query: string; smiles: string; patternFps?: Uint8Array }
  | { kind: 'patternFingerprint'; input: { smiles?: string; query?: string } }
  // Only honoured when the worker was started with workerData.testHooks; lets tests exercise the restart path.
  | { kind: 'simulateWasmTrap' };

export interface ChemResults {
  register: RegisteredStructure;
  depict: string;
  substructureSearch: number[];
  patternFingerprint: Uint8Array;
  simulateWasmTrap: never;
}

export interface RequestMessage {
  id: number;
  request: ChemRequest;
}

export interface SerializedError {
  name: string;
  message: string;
  reason?: string;
}

export type ResponseMessage =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: SerializedError; poisoned: boolean };
