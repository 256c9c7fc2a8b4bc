/**
 * A mixture as a downloadable document: the full recipe, the derived quantities, the assumptions behind them and
 * every citation. Pure: the caller hands in the MixtureDetail the API would answer with. The layouts are
 * documented in docs/formulations.md ("Export").
 */
import type { MixtureDetail } from './schemas.ts';

export const EXPORT_FORMAT_ID = 'cryoprotect.mixture-export';
export const EXPORT_FORMAT_VERSION = 1;

type SourceRef = NonNullable<MixtureDetail['source']>;

/** The mixture's own source first, then every source the derived quantities used, each once. */
export function citationsOf(detail: MixtureDetail): SourceRef[] {
  const all = [...(detail.source ? [detail.source] : []), ...(detail.derived?.sources ?? [])];
  const seen = new Set<string>();
  return all.filter((s) => (seen.has(s.key) ? false : (seen.add(s.key), true)));
}

export function exportJson(detail: MixtureDetail, exportedAt: Date): Record<string, unknown> {
  return {
    format: EXPORT_FORMAT_ID,
    version: EXPORT_FORMAT_VERSION,
    exportedAt: exportedAt.toISOString(),
    mixture: detail,
    citations: citationsOf(detail),
  };
}

/** The single header of the CSV; every row fills the columns its section uses and leaves the others empty. */
export const CSV_COLUMNS = [
  'section', 'key', 'name', 'inchikey', 'component_id', 'amount', 'unit', 'role',
  'mass_fraction', 'mole_fraction', 'molarity_mol_per_l', 'molality_mol_per_kg', 'value', 'detail',
] as const;
type Column = (typeof CSV_COLUMNS)[number];
type CsvRow = Partial<Record<Column, string | number | boolean | null | undefined>>;

function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  // String(number) keeps full precision: a re-import must reproduce the numbers, not a rounded display.
  const text = String(value);
  // RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run text as a formula.
  const safe = typeof value === 'string' && /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function exportCsv(detail: MixtureDetail): string {
  const rows: CsvRow[] = [];
  const d = detail.derived;
  const mixture = (key: string, value: string | number | boolean | null, detailText?: string) =>
    rows.push({ section: 'mixture', key, value, detail: detailText });
  mixture('id', detail.id);
  mixture('name', detail.name);
  mixture('description', detail.description);
  mixture('project_id', detail.projectId);
  mixture('carrier', detail.carrier, detail.carrierName ?? undefined);
  mixture('balance', 'water');
  mixture('solution_density_g_per_ml', detail.solutionDensity, detail.solutionDensity === null ? 'not measured' : 'measured');
  mixture('verified', detail.verified);
  mixture('source', detail.source?.key ?? null, detail.source?.title);
  mixture('created_at', detail.createdAt);
  mixture('updated_at', detail.updatedAt);

  detail.components.forEach((c, i) => {
    const r = d?.components[i];
    rows.push({
      section: 'component', key: c.position, name: c.name, inchikey: c.inchikey, component_id: c.componentId,
      amount: c.amount, unit: c.unit, role: c.role,
      mass_fraction: r?.massFraction, mole_fraction: r?.moleFraction, molarity_mol_per_l: r?.molarity, molality_mol_per_kg: r?.molality,
    });
  });
  if (d) rows.push({ section: 'water', key: 'balance', name: 'water', mass_fraction: d.water.massFraction, mole_fraction: d.water.moleFraction });

  if (d) {
    const gt = d.glassTransition;
    const property = (key: string, value: number | string | null, unit: string, detailText?: string) =>
      rows.push({ section: 'property', key, value, unit, detail: detailText });
    const tgSources = [...new Set(gt.parameters.flatMap((p) => [p.tgSourceKey, p.sourceKey]).filter((k): k is string => k !== null))];
    const tgDetail = gt.kelvin === null
      ? `not computed: ${gt.missing.map((m) => `${m.name} lacks ${m.missing.join(', ')}`).join('; ')}`
      : `${gt.method}; parameters from ${tgSources.join(', ')}`;
    property('glass_transition', gt.kelvin, 'K', tgDetail);
    property('glass_transition_celsius', gt.celsius, '°C', gt.method);
    property('qv_star', d.qvStar, 'water molecules per polar group', `${d.qvStarDetail.convention}${d.qvStarDetail.conventionVerified ? '' : ' (convention unverified)'}; fahy2004-toxicity`);
    property('osmolality', d.osmolality, 'osmol/kg', `ideal; known contribution ${d.osmolalityKnownContribution}`);
    property('total_molarity', d.totalMolarity, 'mol/L');
    property('total_molality', d.totalMolality, 'mol/kg');
    property('solution_density', d.solutionDensity, 'g/mL', d.volumeModel);
    property('volume_model', d.volumeModel, '');
    for (const p of gt.parameters) {
      rows.push({
        section: 'tg_parameter', key: p.component, name: p.name, value: p.tg, unit: 'K',
        detail: p.component === 'water'
          ? `Tg source ${p.tgSourceKey ?? 'none'}`
          : `k=${p.k ?? 'none'}; k source ${p.k === null ? 'none' : (p.sourceKey ?? 'none')}; Tg source ${p.tgSourceKey ?? 'none'}`,
      });
    }
    d.assumptions.forEach((a, i) => rows.push({ section: 'assumption', key: i + 1, detail: a }));
    d.notes.forEach((n, i) => rows.push({ section: 'note', key: i + 1, detail: n }));
  } else if (detail.derivedError) {
    rows.push({ section: 'derived_error', key: 'detail', detail: detail.derivedError.detail });
    for (const e of detail.derivedError.errors) rows.push({ section: 'derived_error', key: e.field, detail: e.message });
  }
  for (const s of citationsOf(detail)) {
    rows.push({ section: 'source', key: s.key, name: s.title, value: s.doi, detail: s.year === null ? undefined : String(s.year) });
  }
  const lines = [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

/** An ASCII file name from the mixture name (e.g. "VS55" → vs55.csv); never empty. */
export function exportFilename(detail: Pick<MixtureDetail, 'name' | 'id'>, extension: 'json' | 'csv'): string {
  const slug = detail.name.normalize('NFKD').replace(/[^\w.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').toLowerCase().slice(0, 80);
  return `${slug || `mixture-${detail.id.slice(0, 8)}`}.${extension}`;
}
