/**
 * Core CPA identity table, from /work/shared/research/science.md §7.1 ("Core CPA identity table [C]"): canonical
 * SMILES and InChIKeys computed with RDKit.js 2026.9.1 from hand-entered structures, stereocentres checked via InChI;
 * MW = RDKit amw, HBD/HBA = RDKit NumHBD/NumHBA, cLogP = Crippen, TPSA = RDKit tpsa, all rounded as printed there.
 * Test fixture only: these are computed values, not independent reference data.
 */
export interface CpaIdentityRow {
  name: string;
  smiles: string;
  inchikey: string;
  mw: number;
  hbd: number;
  hba: number;
  clogp: number;
  tpsa: number;
  /**
   * Set where the table's SMILES is a valid spelling of the compound but not what RDKit 2026.9.1 writes when it
   * canonicalizes it (xylitol, a meso compound: both spellings give the same InChIKey).
   */
  rdkitCanonical?: string;
}

export const CPA_IDENTITY_TABLE: readonly CpaIdentityRow[] = [
  { name: 'Water', smiles: 'O', inchikey: 'XLYOFNOQVPJJNP-UHFFFAOYSA-N', mw: 18.02, hbd: 0, hba: 0, clogp: -0.82, tpsa: 31.5 },
  { name: 'DMSO', smiles: 'CS(C)=O', inchikey: 'IAZDPXIOMUYVGZ-UHFFFAOYSA-N', mw: 78.14, hbd: 0, hba: 1, clogp: -0.01, tpsa: 17.1 },
  { name: 'Glycerol', smiles: 'OCC(O)CO', inchikey: 'PEDCQBHIVMGVHV-UHFFFAOYSA-N', mw: 92.09, hbd: 3, hba: 3, clogp: -1.67, tpsa: 60.7 },
  { name: 'Ethylene glycol', smiles: 'OCCO', inchikey: 'LYCAIKOWRPUZTN-UHFFFAOYSA-N', mw: 62.07, hbd: 2, hba: 2, clogp: -1.03, tpsa: 40.5 },
  { name: '1,2-Propanediol', smiles: 'CC(O)CO', inchikey: 'DNIAPMSPPWPWGF-UHFFFAOYSA-N', mw: 76.09, hbd: 2, hba: 2, clogp: -0.64, tpsa: 40.5 },
  { name: '1,3-Propanediol', smiles: 'OCCCO', inchikey: 'YPFDHNVEDLHUCE-UHFFFAOYSA-N', mw: 76.09, hbd: 2, hba: 2, clogp: -0.64, tpsa: 40.5 },
  { name: '2,3-Butanediol', smiles: 'CC(O)C(C)O', inchikey: 'OWBTYPJTUOEWEK-UHFFFAOYSA-N', mw: 90.12, hbd: 2, hba: 2, clogp: -0.25, tpsa: 40.5 },
  { name: '1,3-Butanediol', smiles: 'CC(O)CCO', inchikey: 'PUPZLCDOIYMWBV-UHFFFAOYSA-N', mw: 90.12, hbd: 2, hba: 2, clogp: -0.25, tpsa: 40.5 },
  { name: 'Diethylene glycol', smiles: 'OCCOCCO', inchikey: 'MTHSVFCYNBDYFN-UHFFFAOYSA-N', mw: 106.12, hbd: 2, hba: 3, clogp: -1.01, tpsa: 49.7 },
  { name: 'Formamide', smiles: 'NC=O', inchikey: 'ZHNUHDYFZUAESO-UHFFFAOYSA-N', mw: 45.04, hbd: 1, hba: 1, clogp: -0.90, tpsa: 43.1 },
  { name: 'Acetamide', smiles: 'CC(N)=O', inchikey: 'DLFVBJFMPXGRIB-UHFFFAOYSA-N', mw: 59.07, hbd: 1, hba: 1, clogp: -0.51, tpsa: 43.1 },
  { name: 'N-Methylformamide', smiles: 'CNC=O', inchikey: 'ATHHXGZTWNVVOU-UHFFFAOYSA-N', mw: 59.07, hbd: 1, hba: 1, clogp: -0.64, tpsa: 29.1 },
  { name: 'N,N-Dimethylformamide', smiles: 'CN(C)C=O', inchikey: 'ZMXDDKWLCZADIW-UHFFFAOYSA-N', mw: 73.09, hbd: 0, hba: 1, clogp: -0.30, tpsa: 20.3 },
  { name: 'N,N-Dimethylacetamide', smiles: 'CC(=O)N(C)C', inchikey: 'FXHOOIRPVKKKFG-UHFFFAOYSA-N', mw: 87.12, hbd: 0, hba: 1, clogp: 0.09, tpsa: 20.3 },
  { name: 'Urea', smiles: 'NC(N)=O', inchikey: 'XSQUKJJJFZCRTK-UHFFFAOYSA-N', mw: 60.06, hbd: 2, hba: 1, clogp: -0.98, tpsa: 69.1 },
  { name: '3-Methoxy-1,2-propanediol', smiles: 'COCC(O)CO', inchikey: 'PSJBSUHYCGQTHZ-UHFFFAOYSA-N', mw: 106.12, hbd: 2, hba: 3, clogp: -1.01, tpsa: 49.7 },
  { name: 'Methanol', smiles: 'CO', inchikey: 'OKKJLVBELUTLKV-UHFFFAOYSA-N', mw: 32.04, hbd: 1, hba: 1, clogp: -0.39, tpsa: 20.2 },
  { name: 'Ethanol', smiles: 'CCO', inchikey: 'LFQSCWFLJHTTHZ-UHFFFAOYSA-N', mw: 46.07, hbd: 1, hba: 1, clogp: 0.00, tpsa: 20.2 },
  { name: 'Sucrose', smiles: 'OC[C@H]1O[C@@](CO)(O[C@H]2O[C@H](CO)[C@@H](O)[C@H](O)[C@H]2O)[C@@H](O)[C@@H]1O', inchikey: 'CZMRCDWAGMRECN-UGDNZRGBSA-N', mw: 342.30, hbd: 8, hba: 11, clogp: -5.40, tpsa: 189.5 },
  { name: 'α,α-Trehalose', smiles: 'OC[C@H]1O[C@H](O[C@H]2O[C@H](CO)[C@@H](O)[C@H](O)[C@H]2O)[C@H](O)[C@@H](O)[C@@H]1O', inchikey: 'HDTRYLNUVZCQOY-LIZSDCNHSA-N', mw: 342.30, hbd: 8, hba: 11, clogp: -5.40, tpsa: 189.5 },
  { name: 'Raffinose', smiles: 'OC[C@H]1O[C@H](OC[C@H]2O[C@H](O[C@]3(CO)O[C@H](CO)[C@@H](O)[C@@H]3O)[C@H](O)[C@@H](O)[C@@H]2O)[C@H](O)[C@@H](O)[C@H]1O', inchikey: 'MUPFEKGTMRGPLJ-ZQSKZDJDSA-N', mw: 504.44, hbd: 11, hba: 16, clogp: -7.57, tpsa: 268.7 },
  { name: 'D-Glucose', smiles: 'OC[C@H]1OC(O)[C@H](O)[C@@H](O)[C@@H]1O', inchikey: 'WQZGKKKJIJFFOK-GASJEMHNSA-N', mw: 180.16, hbd: 5, hba: 6, clogp: -3.22, tpsa: 110.4 },
  { name: 'D-Galactose', smiles: 'OC[C@H]1OC(O)[C@H](O)[C@@H](O)[C@H]1O', inchikey: 'WQZGKKKJIJFFOK-SVZMEOIVSA-N', mw: 180.16, hbd: 5, hba: 6, clogp: -3.22, tpsa: 110.4 },
  { name: 'D-Sorbitol', smiles: 'OC[C@@H](O)[C@@H](O)[C@H](O)[C@@H](O)CO', inchikey: 'FBPFZTCFMRRESA-JGWLITMVSA-N', mw: 182.17, hbd: 6, hba: 6, clogp: -3.59, tpsa: 121.4 },
  { name: 'D-Mannitol', smiles: 'OC[C@@H](O)[C@@H](O)[C@H](O)[C@H](O)CO', inchikey: 'FBPFZTCFMRRESA-KVTDHHQDSA-N', mw: 182.17, hbd: 6, hba: 6, clogp: -3.59, tpsa: 121.4 },
  { name: 'Xylitol', smiles: 'OC[C@H](O)[C@@H](O)[C@H](O)CO', inchikey: 'HEBKCHPVOIAQTA-SCDXWVJYSA-N', rdkitCanonical: 'OC[C@@H](O)[C@H](O)[C@@H](O)CO', mw: 152.15, hbd: 5, hba: 5, clogp: -2.95, tpsa: 101.2 },
  { name: 'Erythritol (meso)', smiles: 'OC[C@@H](O)[C@@H](O)CO', inchikey: 'UNXHWFMMPAWVPI-ZXZARUISSA-N', mw: 122.12, hbd: 4, hba: 4, clogp: -2.31, tpsa: 80.9 },
  { name: 'L-Proline', smiles: 'O=C(O)[C@@H]1CCCN1', inchikey: 'ONIBWKKTOPOVIA-BYPYZUCNSA-N', mw: 115.13, hbd: 2, hba: 2, clogp: -0.18, tpsa: 49.3 },
  { name: 'L-Isoleucine', smiles: 'CC[C@H](C)[C@H](N)C(=O)O', inchikey: 'AGPKZVBTJJNPAG-WHFBIAKZSA-N', mw: 131.18, hbd: 2, hba: 2, clogp: 0.44, tpsa: 63.3 },
  { name: 'Betaine', smiles: 'C[N+](C)(C)CC(=O)[O-]', inchikey: 'KWIUHFFTVRNATP-UHFFFAOYSA-N', mw: 117.15, hbd: 0, hba: 2, clogp: -1.56, tpsa: 40.1 },
  { name: '(S)-Ectoine', smiles: 'CC1=N[C@H](C(=O)O)CCN1', inchikey: 'WQXNXVUDBPYKBA-YFKPBYRVSA-N', mw: 142.16, hbd: 2, hba: 3, clogp: -0.15, tpsa: 61.7 },
  { name: 'Taurine', smiles: 'NCCS(=O)(=O)O', inchikey: 'XOAAWQZATWQOTB-UHFFFAOYSA-N', mw: 125.15, hbd: 2, hba: 3, clogp: -1.17, tpsa: 80.4 },
];
