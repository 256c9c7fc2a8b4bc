import { depictSvg } from './depict.ts';
import { ChemInputError } from './errors.ts';
import { FINGERPRINT_BYTES } from './fingerprint.ts';
import type { ChemRequest } from './protocol.ts';
import type { ChemContext } from './rdkit.ts';
import { registerStructure } from './register.ts';
import { moleculePatternFingerprint, queryPatternFingerprint, substructureMatches } from './substructure.ts';

/** Runs one request against an RDKit context; what a worker does with each message, usable in-process too. */
export function handleChemRequest(ctx: ChemContext, request: ChemRequest, testHooks = false): unknown {
  switch (request.kind) {
    case 'register':
      return registerStructure(ctx, request.input);
    case 'depict':
      return depictSvg(ctx, request.input);
    case 'substructureSearch': {
      const { patternFps } = request;
      const candidates = (request.smiles === '' ? [] : request.smiles.split('\n')).map((smiles, id) => ({
        id, smiles, ...(patternFps ? { patternFp: patternFps.subarray(id * FINGERPRINT_BYTES, (id + 1) * FINGERPRINT_BYTES) } : {}),
      }));
      return substructureMatches(ctx, request.query, candidates);
    }
    case 'patternFingerprint': {
      const { smiles, query } = request.input;
      if (query !== undefined) return queryPatternFingerprint(ctx, query);
      if (smiles !== undefined) return moleculePatternFingerprint(ctx, smiles);
      throw new ChemInputError('give a smiles or a query');
    }
    case 'simulateWasmTrap':
      if (!testHooks) throw new ChemInputError('unknown request');
      // Any error other than our own two kinds is treated like a WebAssembly trap by the worker.
      throw new Error('simulated WebAssembly trap: unreachable');
  }
}
