import type { Log, MainModule, Mol } from '@rdkit/rdkit';

export type RDKitModule = MainModule;
export type { Mol };

/**
 * An initialized RDKit module plus the captured error log, so parse failures can say why.
 * One per thread: RDKit's log capture is global to the module instance.
 */
export interface ChemContext {
  readonly rdkit: RDKitModule;
  readonly errorLog: Log | null;
}

type RDKitFactory = () => Promise<RDKitModule>;

export async function loadRDKit(): Promise<RDKitModule> {
  // The package is CommonJS whose module.exports is the factory, but its .d.ts declares an ES default export, so
  // depending on the loader the factory is `default` or `default.default`.
  const mod = (await import('@rdkit/rdkit')) as unknown as { default: RDKitFactory | { default: RDKitFactory } };
  const factory = typeof mod.default === 'function' ? mod.default : mod.default.default;
  return factory();
}

export function createChemContext(rdkit: RDKitModule): ChemContext {
  // Capturing keeps RDKit's messages off stderr and lets us quote them in ChemInputError reasons.
  return { rdkit, errorLog: rdkit.set_log_capture('rdApp.error') };
}

export async function loadChemContext(): Promise<ChemContext> {
  return createChemContext(await loadRDKit());
}

/** Clears the captured log; call right before an RDKit call whose complaints you want to read. */
export function clearLog(ctx: ChemContext): void {
  ctx.errorLog?.clear_buffer();
}

/** RDKit's captured messages since the last clearLog, without timestamps, one line each, deduplicated. */
export function readLog(ctx: ChemContext): string {
  const raw = ctx.errorLog?.get_buffer() ?? '';
  const lines: string[] = [];
  for (const line of raw.split('\n')) {
    const text = line.replace(/^\[\d\d:\d\d:\d\d\]\s*/, '').trim();
    if (text && !lines.includes(text)) lines.push(text);
  }
  return lines.join('\n');
}

/** Runs `fn` with `mol` and always frees the WASM memory behind it. */
export function using<T>(mol: Mol, fn: (mol: Mol) => T): T {
  try {
    return fn(mol);
  } finally {
    mol.delete();
  }
}
