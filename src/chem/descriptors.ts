import { functionalGroupCounts } from './functional-groups.ts';
import type { ChemContext, Mol } from './rdkit.ts';

/** RDKit's descriptor set (`get_descriptors()`: exactmw, amw, CrippenClogP, tpsa, NumHBD, chi*, kappa*, ...). */
export function rdkitDescriptors(mol: Mol): Record<string, number> {
  const raw = JSON.parse(mol.get_descriptors()) as Record<string, unknown>;
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(raw)) if (typeof value === 'number') out[key] = value;
  return out;
}

export interface DrugLikeness {
  lipinskiViolations: number;
  lipinskiPass: boolean;
  veberPass: boolean;
}

/**
 * Lipinski's rule of five (Lipinski et al. 1997, Adv Drug Deliv Rev 23:3): MW <= 500, cLogP <= 5, H-bond donors
 * <= 5, acceptors <= 10, using RDKit's amw, CrippenClogP and the Lipinski-style NHOH/NO counts; passing allows at
 * most one violation, as in the original "poor absorption is more likely when more than one rule is broken".
 * Veber et al. 2002 (J Med Chem 45:2615): rotatable bonds <= 10 and TPSA <= 140 Å².
 */
export function drugLikeness(d: Record<string, number>): DrugLikeness {
  const violations = [
    (d.amw ?? 0) > 500,
    (d.CrippenClogP ?? 0) > 5,
    (d.lipinskiHBD ?? 0) > 5,
    (d.lipinskiHBA ?? 0) > 10,
  ].filter(Boolean).length;
  return {
    lipinskiViolations: violations,
    lipinskiPass: violations <= 1,
    veberPass: (d.NumRotatableBonds ?? 0) <= 10 && (d.tpsa ?? 0) <= 140,
  };
}

/**
 * The registered descriptor record: all RDKit descriptors, CPA functional-group counts (see functional-groups.ts),
 * lipinskiViolations, and lipinskiPass / veberPass as 1 (pass) or 0 (fail) so the record stays numeric.
 */
export function computeDescriptors(ctx: ChemContext, mol: Mol): Record<string, number> {
  const base = rdkitDescriptors(mol);
  const rules = drugLikeness(base);
  return {
    ...base,
    ...functionalGroupCounts(ctx, mol),
    lipinskiViolations: rules.lipinskiViolations,
    lipinskiPass: rules.lipinskiPass ? 1 : 0,
    veberPass: rules.veberPass ? 1 : 0,
  };
}
