import type { DepictInput } from './depict.ts';
import type { StructureInput } from './input.ts';
import type { RegisteredStructure } from './register.ts';
import type { CandidateId, SubstructureCandidate } from './substructure.ts';

/** Messages between the pool (main thread) and a chem worker. */
export type ChemRequest =
  | { kind: 'register'; input: StructureInput }
  | { kind: 'depict'; input: DepictInput }
  | { kind: 'substructureSearch'; query: string; candidates: SubstructureCandidate[] }
  | { kind: 'patternFingerprint'; input: { smiles?: string; query?: string } }
  // Only honoured when the worker was started with workerData.testHooks; lets tests exercise the restart path.
  | { kind: 'simulateWasmTrap' };

export interface ChemResults {
  register: RegisteredStructure;
  depict: string;
  substructureSearch: CandidateId[];
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
