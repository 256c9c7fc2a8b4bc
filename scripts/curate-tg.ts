/**
 * Curates the Koop et al. 2011 pure-compound Tg compilation into one row per standardized structure.
 *
 *   node --import tsx scripts/curate-tg.ts [input.csv] [output-dir]
 *
 * Defaults: ../shared/data/tg/koop2011_tg.csv → data/reference/tg/. Writes
 * - koop2011-pure-tg.csv: one row per standard InChIKey of the registered parent structure, with the median Tg of
 *   the compiled entries (their spread in tg_min_k/tg_max_k) and the median of the known melting points;
 * - koop2011-excluded.csv: every compiled row that was left out, with the reason.
 * Rows are excluded, never repaired: inorganic compounds (no carbon), salts and hydrates (more than one fragment,
 * whose Tg belongs to the whole solid and not to the parent molecule our registry would keep), SMILES RDKit cannot
 * parse, and Tg or Tm values outside a physical range. The output is deterministic (sorted by InChIKey), so
 * re-running the script on the same input reproduces the committed files byte for byte.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChemInputError } from '../src/chem/errors.ts';
import { loadChemContext } from '../src/chem/rdkit.ts';
import { registerStructure } from '../src/chem/register.ts';
import { parseCsv } from '../src/lib/csv.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const KOOP_DOI = '10.1039/C1CP22617G';
/**
 * Plausible bounds for a molecular glass or a melting point of an organic compound, in K: a guard against unit
 * slips (°C entered as K) and typos, not a filter on chemistry. The lowest compiled Tg is ethane's 49 K and the
 * highest 433 K (maltohexaose); organic "melting points" above 700 K are decomposition temperatures.
 */
const PHYSICAL_RANGE_K = { min: 20, max: 700 } as const;

interface CompiledEntry {
  line: number;
  name: string;
  smiles: string;
  tg: number;
  tm: number | null;
}

interface Excluded {
  line: number;
  name: string;
  smiles: string;
  tg_k: string;
  tm_k: string;
  reason: string;
}

interface Group {
  inchikey: string;
  canonicalSmiles: string;
  entries: CompiledEntry[];
}

function median(values: readonly number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Two decimals at most, without float noise (241.5, not 241.50000000000003). */
function kelvin(v: number): string {
  return String(Math.round(v * 100) / 100);
}

function field(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\n') + '\n';
}

function parseKelvin(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(t) ? Number(t) : Number.NaN;
}

function inRange(v: number): boolean {
  return v >= PHYSICAL_RANGE_K.min && v <= PHYSICAL_RANGE_K.max;
}

/** Why a compiled SMILES is not a single organic molecule, or null when it is. */
function structuralExclusion(smiles: string): string | null {
  const fragments = smiles.split('.');
  const hasCarbon = (s: string): boolean => /C|c|\[13C/.test(s.replace(/Cl|Ca|Cs|Cr|Co|Cu|Cd|Ce/g, ''));
  if (!fragments.some(hasCarbon)) return 'inorganic: no carbon in the structure';
  if (fragments.length > 1) {
    if (fragments.some((f) => f === 'O' || f === '[OH2]')) return 'hydrate: water of crystallization is part of the compiled solid';
    return 'salt or multi-component solid: its Tg is not the parent molecule\'s';
  }
  return null;
}

/** The spelling most entries use (case-insensitive count), earliest on ties: "glycerol" over a one-off typo. */
function displayName(names: readonly string[]): string {
  const count = (n: string): number => names.filter((m) => m.toLowerCase() === n.toLowerCase()).length;
  return names.reduce((best, n) => (count(n) > count(best) ? n : best), names[0] as string);
}

async function main(): Promise<void> {
  const input = resolve(process.argv[2] ?? join(ROOT, '../shared/data/tg/koop2011_tg.csv'));
  const outDir = resolve(process.argv[3] ?? join(ROOT, 'data/reference/tg'));
  const { columns, records } = parseCsv(readFileSync(input, 'utf8'));
  for (const c of ['Species', 'SMILES', 'Tg (K)', 'Tm_exp (K)']) {
    if (!columns.includes(c)) throw new Error(`${input}: no column "${c}" (header: ${columns.join(', ')})`);
  }
  const ctx = await loadChemContext();
  const groups = new Map<string, Group>();
  const excluded: Excluded[] = [];
  for (const { line, values } of records) {
    const name = (values.Species ?? '').trim();
    const smiles = (values.SMILES ?? '').trim();
    const tgText = values['Tg (K)'] ?? '';
    const tmText = values['Tm_exp (K)'] ?? '';
    const exclude = (reason: string): void => void excluded.push({ line, name, smiles, tg_k: tgText.trim(), tm_k: tmText.trim(), reason });
    const tg = parseKelvin(tgText);
    const tm = parseKelvin(tmText);
    if (smiles === '') {
      exclude('no SMILES');
      continue;
    }
    if (tg === null || !Number.isFinite(tg)) {
      exclude(`Tg "${tgText}" is not a number`);
      continue;
    }
    if (!inRange(tg)) {
      exclude(`Tg ${tg} K outside ${PHYSICAL_RANGE_K.min}–${PHYSICAL_RANGE_K.max} K`);
      continue;
    }
    if (tm !== null && !(Number.isFinite(tm) && inRange(tm))) {
      exclude(`Tm "${tmText}" is not a melting point in ${PHYSICAL_RANGE_K.min}–${PHYSICAL_RANGE_K.max} K`);
      continue;
    }
    const structural = structuralExclusion(smiles);
    if (structural) {
      exclude(structural);
      continue;
    }
    let registered;
    try {
      registered = registerStructure(ctx, { smiles });
    } catch (error) {
      if (!(error instanceof ChemInputError)) throw error;
      exclude(`unparsable SMILES: ${error.message.split('\n')[0]}`);
      continue;
    }
    const entry: CompiledEntry = { line, name, smiles, tg, tm };
    const group = groups.get(registered.inchikey);
    if (group) group.entries.push(entry);
    else groups.set(registered.inchikey, { inchikey: registered.inchikey, canonicalSmiles: registered.canonicalSmiles, entries: [entry] });
  }

  const pure = [...groups.values()].sort((a, b) => (a.inchikey < b.inchikey ? -1 : 1)).map((g) => {
    const tgs = g.entries.map((e) => e.tg);
    const tms = g.entries.flatMap((e) => (e.tm === null ? [] : [e.tm]));
    const names = [...new Set(g.entries.map((e) => e.name))];
    return [
      displayName(g.entries.map((e) => e.name)),
      names.join(' | '),
      g.canonicalSmiles,
      g.inchikey,
      kelvin(median(tgs)),
      kelvin(Math.min(...tgs)),
      kelvin(Math.max(...tgs)),
      g.entries.length,
      tms.length > 0 ? kelvin(median(tms)) : '',
      tms.length,
      g.entries.map((e) => e.line).join(' '),
      KOOP_DOI,
    ];
  });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, 'koop2011-pure-tg.csv'),
    csv(
      ['name', 'compiled_names', 'canonical_smiles', 'inchikey', 'tg_k', 'tg_min_k', 'tg_max_k', 'n_entries', 'tm_k', 'n_tm_entries', 'source_lines', 'source_doi'],
      pure,
    ),
  );
  writeFileSync(
    join(outDir, 'koop2011-excluded.csv'),
    csv(['source_line', 'name', 'smiles', 'tg_k', 'tm_k', 'reason', 'source_doi'], excluded.map((e) => [e.line, e.name, e.smiles, e.tg_k, e.tm_k, e.reason, KOOP_DOI])),
  );
  const entries = [...groups.values()].reduce((s, g) => s + g.entries.length, 0);
  const withTm = pure.filter((r) => r[8] !== '').length;
  process.stdout.write(
    `${records.length} compiled rows: ${entries} kept as ${groups.size} structures (${withTm} with a melting point), ${excluded.length} excluded\n`,
  );
}

await main();
