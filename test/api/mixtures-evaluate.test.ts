import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.ts';
import { APP_VERSION } from '../../src/app/runtime.ts';
import { scienceReference } from '../../src/modules/mixtures/reference.ts';
import { describeEachBackend, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';

const URL_ = '/api/v1/mixtures:evaluate';
const KEY = {
  water: 'XLYOFNOQVPJJNP-UHFFFAOYSA-N',
  glycerol: 'PEDCQBHIVMGVHV-UHFFFAOYSA-N',
  dmso: 'IAZDPXIOMUYVGZ-UHFFFAOYSA-N',
  formamide: 'ZHNUHDYFZUAESO-UHFFFAOYSA-N',
  propanediol: 'DNIAPMSPPWPWGF-UHFFFAOYSA-N',
  trehalose: 'HDTRYLNUVZCQOY-LIZSDCNHSA-N',
};
const WATER_M = 18.015;

interface Evaluation {
  components: { key: string; name: string; massFraction: number; moleFraction: number | null; molarity: number | null; molality: number | null }[];
  water: { massFraction: number; moleFraction: number | null };
  glassTransition: { kelvin: number | null; celsius: number | null; missing: { component: string; missing: string[] }[]; parameters: { component: string; tg: number | null; k: number | null; sourceKey: string | null }[];
    alternatives: { method: string; kelvin: number | null; missing: { component: string; missing: string[] }[] }[] };
  qvStar: number | null;
  osmolality: number | null;
  totalMolarity: number | null;
  totalMolality: number | null;
  assumptions: string[];
  notes: string[];
  sources: { key: string; title: string; doi: string | null; year: number | null }[];
}

interface ProblemJson { status: number; code: string; errors: { field: string; message: string }[] }

const reference = scienceReference();
const prop = (inchikey: string, p: 'tg' | 'gt_tg' | 'gt_k' | 'density') => reference.property(inchikey, p)!;

describeEachBackend('mixtures:evaluate API', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let ids: Record<string, string>;

  const evaluate = (payload: unknown) => app.inject({ method: 'POST', url: URL_, payload: payload as object });
  const refused = async (payload: unknown, status = 422): Promise<ProblemJson> => {
    const res = await evaluate(payload);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    return res.json() as ProblemJson;
  };

  beforeAll(async () => {
    db = await openTestDatabase(backend, { chem: false });
    app = await buildServer({ ...db.runtime, version: APP_VERSION });
    const res = await app.inject({ method: 'GET', url: '/api/v1/molecules?limit=500' });
    ids = Object.fromEntries((res.json().items as { inchikey: string; id: string }[]).map((m) => [m.inchikey, m.id]));
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('glycerol–water 60 %w/w: mass fraction 0.6 and Gordon–Taylor Tg from the cited parameters', async () => {
    const res = await evaluate({ balance: 'water', components: [{ inchikey: KEY.glycerol, amount: 60, unit: '%w/w' }] });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as Evaluation;
    expect(body.components[0]).toMatchObject({ key: KEY.glycerol, name: 'Glycerol' });
    expect(body.components[0]!.massFraction).toBeCloseTo(0.6, 12);
    expect(body.water.massFraction).toBeCloseTo(0.4, 12);
    // Expected value from the data actually used: first-listed water Tg, glycerol's (gt_tg, gt_k) pair.
    const tgW = prop(KEY.water, 'tg').value;
    const tgG = prop(KEY.glycerol, 'gt_tg').value;
    const k = prop(KEY.glycerol, 'gt_k').value;
    expect([tgW, tgG, k]).toEqual([136, 190, 2.84]);
    const expected = (0.6 * tgG + k * 0.4 * tgW) / (0.6 + k * 0.4);
    expect(body.glassTransition.kelvin!).toBeCloseTo(expected, 9);
    expect(body.glassTransition.kelvin!).toBeCloseTo(154.66, 2);
    expect(body.glassTransition.celsius!).toBeCloseTo(expected - 273.15, 9);
    expect(body.glassTransition.missing).toEqual([]);
    expect(body.glassTransition.parameters).toEqual(expect.arrayContaining([
      expect.objectContaining({ component: 'water', tg: 136, sourceKey: 'johari1987' }),
      expect.objectContaining({ component: KEY.glycerol, tg: 190, k: 2.84, sourceKey: 'inaba2007' }),
    ]));
    // Fox over the first-listed pure Tg: 1/Tg = w/Tg,gly + (1 − w)/Tg,w; Couchman–Karasz lacks cited ΔCp.
    const pureG = prop(KEY.glycerol, 'tg').value;
    const fox = body.glassTransition.alternatives.find((a) => a.method === 'fox')!;
    expect(fox.kelvin!).toBeCloseTo(1 / (0.6 / pureG + 0.4 / tgW), 9);
    const ck = body.glassTransition.alternatives.find((a) => a.method === 'couchman-karasz')!;
    expect(ck.kelvin).toBeNull();
    expect(ck.missing.map((m) => m.missing)).toEqual([['deltaCp'], ['deltaCp']]);
    // Tg (johari1987 water, koop2011 glycerol), k (inaba2007), and densities (crc-handbook) behind the molarity.
    expect(body.sources.map((s) => s.key).sort()).toEqual(['crc-handbook', 'inaba2007', 'johari1987', 'koop2011']);
    expect(body.sources.every((s) => s.title.length > 0)).toBe(true);
    // Molality from masses: 600 g glycerol per 400 g water.
    const molality = 600 / 92.094 / 0.4;
    expect(body.components[0]!.molality!).toBeCloseTo(molality, 1);
    expect(body.osmolality!).toBeCloseTo(body.components[0]!.molality!, 12);
    expect(body.qvStar!).toBeCloseTo(1000 / WATER_M / (3 * body.components[0]!.molality!), 9);
  });

  it('a VS55-like recipe: fractions sum to 1 with water, molarities round-trip, Tg missing for DMSO and formamide', async () => {
    const res = await evaluate({
      balance: 'water',
      components: [
        { inchikey: KEY.dmso, amount: 3.1, unit: 'mol/L' },
        { inchikey: KEY.formamide, amount: 3.1, unit: 'mol/L' },
        { moleculeId: ids[KEY.propanediol], amount: 2.2, unit: 'mol/L', role: 'penetrating' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as Evaluation;
    const massSum = body.components.reduce((a, c) => a + c.massFraction, body.water.massFraction);
    const moleSum = body.components.reduce((a, c) => a + c.moleFraction!, body.water.moleFraction!);
    expect(massSum).toBeCloseTo(1, 9);
    expect(moleSum).toBeCloseTo(1, 9);
    expect(body.components.map((c) => c.molarity)).toEqual([expect.closeTo(3.1, 9), expect.closeTo(3.1, 9), expect.closeTo(2.2, 9)]);
    expect(body.totalMolarity!).toBeCloseTo(8.4, 9);
    expect(body.glassTransition.kelvin).toBeNull();
    expect(body.glassTransition.celsius).toBeNull();
    expect(body.glassTransition.missing).toEqual([
      expect.objectContaining({ component: KEY.dmso, missing: ['tg', 'k'] }),
      expect.objectContaining({ component: KEY.formamide, missing: ['tg', 'k'] }),
      expect.objectContaining({ component: KEY.propanediol, missing: ['k'] }),
    ]);
    const [dmso, formamide, pg] = body.components.map((c) => c.molality!);
    expect(body.totalMolality!).toBeCloseTo(dmso! + formamide! + pg!, 12);
    expect(body.osmolality!).toBeCloseTo(dmso! + formamide! + pg!, 12);
    // Polar groups under the adopted convention: sulfoxide 1, amide 1, two hydroxyls.
    expect(body.qvStar!).toBeCloseTo(1000 / WATER_M / (dmso! + formamide! + 2 * pg!), 9);
    // Ideal volume additivity used every density; Tg sources are not cited because no Tg was computed.
    expect(body.sources.map((s) => s.key).sort()).toEqual(['crc-handbook', 'gaylord-dmso']);
    expect(body.assumptions.join(' ')).toMatch(/ideal volume additivity/i);
  });

  it('mixes units (mol/L, %w/v, mol/kg) with a measured solution density and reproduces each amount', async () => {
    const res = await evaluate({
      balance: 'water',
      solutionDensity: 1.1,
      components: [
        { moleculeId: ids[KEY.dmso], amount: 3.1, unit: 'mol/L' },
        { inchikey: KEY.formamide.toLowerCase(), amount: 22, unit: '%w/v' },
        { inchikey: KEY.trehalose, amount: 0.5, unit: 'mol/kg', role: 'non-penetrating' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as Evaluation;
    const [dmso, formamide, trehalose] = body.components;
    expect(dmso!.molarity!).toBeCloseTo(3.1, 9);
    expect(formamide!.key).toBe(KEY.formamide);
    // %w/v = g per 100 mL = mass fraction × solution density (g/mL) × 100.
    expect(formamide!.massFraction * 1.1 * 100).toBeCloseTo(22, 9);
    expect(trehalose!.molality!).toBeCloseTo(0.5, 9);
    // Trehalose is non-penetrating by role: q_v counts DMSO and formamide only.
    expect(body.qvStar!).toBeCloseTo(1000 / WATER_M / (dmso!.molality! + formamide!.molality!), 9);
    expect(body.glassTransition.missing.map((m) => m.component)).toEqual([KEY.dmso, KEY.formamide]);
  });

  it('keeps a polymer without cited molar mass: its molar quantities and osmolality are null with notes', async () => {
    const res = await evaluate({
      balance: 'water',
      components: [{ inchikey: KEY.glycerol, amount: 40, unit: '%w/w' }, { componentId: 'ficoll-70', amount: 5, unit: 'massFraction' }],
    });
    // 5 as a mass fraction is more than the whole solution.
    expect(res.statusCode).toBe(422);
    const ok = await evaluate({
      balance: 'water',
      components: [{ inchikey: KEY.glycerol, amount: 40, unit: '%w/w' }, { componentId: 'ficoll-70', amount: 0.05, unit: 'massFraction' }],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const body = ok.json() as Evaluation;
    expect(body.components[1]).toMatchObject({ key: 'ficoll-70', name: 'Ficoll 70', moleFraction: null, molarity: null, molality: null });
    expect(body.water.massFraction).toBeCloseTo(0.55, 12);
    expect(body.osmolality).toBeNull();
    expect(body.totalMolality).toBeNull();
    expect(body.glassTransition.kelvin).toBeNull();
    expect(body.glassTransition.missing).toEqual([expect.objectContaining({ component: 'ficoll-70', missing: ['tg', 'k'] })]);
    expect(body.notes.join(' ')).toMatch(/Ficoll 70/);
  });

  it('never answers 500 for extreme but well-formed recipes', async () => {
    const pure = await evaluate({ balance: 'water', components: [{ inchikey: KEY.dmso, amount: 1, unit: 'moleFraction' }] });
    expect(pure.statusCode, pure.body).toBe(200);
    const body = pure.json() as Evaluation;
    expect(body.water.massFraction).toBe(0);
    expect(body.components[0]!.molality).toBeNull();
    expect([body.qvStar, body.osmolality]).toEqual([null, null]);
    const nothing = await evaluate({ balance: 'water', components: [{ inchikey: KEY.glycerol, amount: 0, unit: '%w/w' }] });
    expect(nothing.statusCode, nothing.body).toBe(200);
    expect((nothing.json() as Evaluation).glassTransition.kelvin).toBe(prop(KEY.water, 'tg').value);
    for (const amount of [1e308, 1e6]) {
      const res = await evaluate({ balance: 'water', components: [{ inchikey: KEY.dmso, amount, unit: 'mol/L' }] });
      expect(res.statusCode, res.body).toBe(422);
      expect((res.json() as ProblemJson).errors[0]!.field).toBe('components[0].amount');
    }
  });

  describe('refusals', () => {
    it('names components[i].amount and the missing density for %v/v of a polymer', async () => {
      const problem = await refused({
        balance: 'water',
        components: [{ inchikey: KEY.glycerol, amount: 10, unit: '%w/w' }, { componentId: 'ficoll-70', amount: 5, unit: '%v/v' }],
      });
      expect(problem.code).toBe('unprocessable');
      expect(problem.errors).toEqual([
        { field: 'components[1].amount', in: 'body', message: expect.stringMatching(/density of Ficoll 70 is unknown: cannot convert %v\/v/) },
      ]);
    });

    it('asks for solutionDensity when a volume-based unit needs the volume and a density is unknown', async () => {
      const problem = await refused({
        balance: 'water',
        components: [{ inchikey: KEY.dmso, amount: 3.1, unit: 'mol/L' }, { inchikey: KEY.trehalose, amount: 0.5, unit: 'mol/kg' }],
      });
      expect(problem.errors).toEqual([
        { field: 'components[0].amount', in: 'body', message: expect.stringMatching(/density of Trehalose is unknown.*give solutionDensity/) },
      ]);
    });

    it('names a mole fraction that needs the molar mass of a polymer', async () => {
      const problem = await refused({
        balance: 'water',
        components: [{ inchikey: KEY.dmso, amount: 0.1, unit: 'moleFraction' }, { componentId: 'pvp-k12', amount: 5, unit: '%w/w' }],
      });
      expect(problem.errors.map((e) => e.field)).toEqual(['components[0].amount']);
      expect(problem.errors[0]!.message).toMatch(/molar mass of PVP K12.* is unknown/);
    });

    it('says the total exceeds 100 % and names every component', async () => {
      const problem = await refused({
        balance: 'water',
        components: [{ inchikey: KEY.glycerol, amount: 70, unit: '%w/w' }, { inchikey: KEY.dmso, amount: 40, unit: '%w/w' }],
      });
      expect(problem.errors.map((e) => e.field)).toEqual(['components[0].amount', 'components[1].amount']);
      expect(problem.errors[0]!.message).toMatch(/Glycerol, Dimethyl sulfoxide exceeds 100 %/);
    });

    it('names unknown identities, duplicates and water', async () => {
      const unknownId = await refused({ balance: 'water', components: [{ moleculeId: '00000000-0000-4000-8000-000000000000', amount: 1, unit: 'mol/L' }] });
      expect(unknownId.errors.map((e) => e.field)).toEqual(['components[0].moleculeId']);
      const unknownKey = await refused({ balance: 'water', components: [{ inchikey: 'AAAAAAAAAAAAAA-BBBBBBBBBB-N', amount: 1, unit: 'mol/L' }] });
      expect(unknownKey.errors.map((e) => e.field)).toEqual(['components[0].inchikey']);
      const unknownComponent = await refused({ balance: 'water', components: [{ componentId: 'unobtainium', amount: 1, unit: '%w/w' }] });
      expect(unknownComponent.errors.map((e) => e.field)).toEqual(['components[0].componentId']);
      expect(unknownComponent.errors[0]!.message).toMatch(/ficoll-70/);
      const water = await refused({
        balance: 'water',
        components: [{ inchikey: KEY.glycerol, amount: 10, unit: '%w/w' }, { moleculeId: ids[KEY.water], amount: 10, unit: '%w/w' }],
      });
      expect(water.errors).toEqual([{ field: 'components[1].moleculeId', in: 'body', message: expect.stringMatching(/water is the balance/) }]);
      const duplicate = await refused({
        balance: 'water',
        components: [{ inchikey: KEY.glycerol, amount: 10, unit: '%w/w' }, { moleculeId: ids[KEY.glycerol], amount: 1, unit: 'mol/L' }],
      });
      expect(duplicate.errors.map((e) => e.field)).toEqual(['components[1].moleculeId']);
    });

    it('requires exactly one identifier per component', async () => {
      const none = await refused({ balance: 'water', components: [{ amount: 1, unit: 'mol/L' }] });
      expect(none.errors.map((e) => e.field)).toEqual(['components[0]']);
      const two = await refused({
        balance: 'water',
        components: [{ inchikey: KEY.dmso, amount: 1, unit: 'mol/L' }, { inchikey: KEY.dmso, componentId: 'pvp', amount: 1, unit: 'mol/L' }],
      });
      expect(two.errors.map((e) => e.field)).toEqual(['components[1].componentId']);
    });

    it('answers schema violations with 400 naming the field', async () => {
      const cases: [unknown, string][] = [
        [{ balance: 'water', components: [] }, 'components'],
        [{ balance: 'water', components: [{ inchikey: KEY.dmso, amount: 1, unit: 'M' }] }, 'components[0].unit'],
        [{ balance: 'water', components: [{ inchikey: KEY.dmso, amount: -1, unit: 'mol/L' }] }, 'components[0].amount'],
        [{ balance: 'water', components: [{ inchikey: KEY.dmso, amount: 1, unit: 'mol/L', colour: 'red' }] }, 'components[0].colour'],
        [{ balance: 'water', components: [{ inchikey: KEY.dmso, amount: 1, unit: 'mol/L', role: 'solvent' }] }, 'components[0].role'],
        [{ balance: 'ethanol', components: [{ inchikey: KEY.dmso, amount: 1, unit: 'mol/L' }] }, 'balance'],
        [{ balance: 'water', solutionDensity: 0, components: [{ inchikey: KEY.dmso, amount: 1, unit: 'mol/L' }] }, 'solutionDensity'],
        [{ balance: 'water', components: [{ moleculeId: 'not-a-uuid', amount: 1, unit: 'mol/L' }] }, 'components[0].moleculeId'],
        [{ balance: 'water' }, 'components'],
      ];
      for (const [payload, field] of cases) {
        const problem = await refused(payload, 400);
        expect(problem.code).toBe('invalid-request');
        expect(problem.errors.map((e) => e.field), JSON.stringify(payload)).toContain(field);
      }
    });
  });

  it('is documented in OpenAPI at the literal path', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, { post?: { responses: Record<string, unknown> } }> };
    const op = spec.paths['/api/v1/mixtures:evaluate']?.post;
    expect(op).toBeDefined();
    expect(Object.keys(op!.responses)).toContain('200');
    expect((await app.inject({ method: 'GET', url: URL_ })).statusCode).toBe(404);
  });
});
