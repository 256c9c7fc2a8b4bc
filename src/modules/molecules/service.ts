import type { Actor, Db } from '../../db/db.ts';
import { ChemInputError, type ChemPool, type RegisteredStructure } from '../../chem/pool.ts';
import { Problem } from '../../app/problems.ts';
import * as repo from './repo.ts';
import { identifierQuery, normalizeIdentifiers } from './identifiers-input.ts';
import { MoleculeSearchIndex, type IndexEntry } from './search-index.ts';
import { structureInput } from './structure-input.ts';
import type {
  BatchRow, CreateMoleculeBody, DescriptorFilters, Molecule, MoleculeDetail, MoleculeListQuery, MoleculeSelection,
  RowResult, SearchResponse, SimilarityBody, SortField, UpdateMoleculeBody,
} from './schemas.ts';

export interface MoleculeService {
  register(actor: Actor, input: CreateMoleculeBody): Promise<{ molecule: MoleculeDetail; created: boolean }>;
  /** Registers many rows; good rows are kept when others fail. Chunks of `chunkSize` rows, one transaction each. */
  registerMany(actor: Actor, projectId: string | null, rows: readonly (BatchRow | { error: string })[], options?: RegisterManyOptions): Promise<RowResult[]>;
  get(actor: Actor, id: string): Promise<MoleculeDetail>;
  update(actor: Actor, id: string, changes: UpdateMoleculeBody): Promise<MoleculeDetail>;
  remove(actor: Actor, id: string): Promise<void>;
  list(actor: Actor, query: Partial<MoleculeListQuery> & { limit: number }): Promise<{ items: Molecule[]; nextCursor: string | null }>;
  /** Every molecule of a selection with descriptors, page by page (export). */
  iterate(actor: Actor, selection: Partial<MoleculeSelection>, pageSize?: number): AsyncGenerator<MoleculeDetail[]>;
  depiction(actor: Actor, id: string, options: { width: number; height: number; highlight?: string }): Promise<string>;
  /** SVG of any SMILES as typed (no registration, no database); 422 names `smiles` or `highlight`. */
  depictSmiles(smiles: string, options: { width: number; height: number; highlight?: string }): Promise<string>;
  similarity(actor: Actor, body: SimilarityBody): Promise<SearchResponse>;
  substructure(actor: Actor, body: { query: string; limit: number }): Promise<SearchResponse>;
  /** Checks that the actor may write into the scope (404 hides a project, 403 refuses). */
  assertCanWrite(actor: Actor, projectId: string | null): Promise<void>;
  readonly index: MoleculeSearchIndex;
}

export interface RegisterManyOptions {
  chunkSize?: number;
  /** Row indexes are offset by this (a file imported in several calls). */
  firstIndex?: number;
  /** InChIKeys already handled earlier in the same import, so later repeats report "duplicate" of the first. */
  seen?: Map<string, string>;
  onProgress?(done: number): Promise<void> | void;
}

interface Cursor {
  sort: SortField;
  order: 'asc' | 'desc';
  position: repo.ListPosition;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.order, c.position.key, c.position.id])).toString('base64url');
}

export function decodeCursor(cursor: string, sort: SortField, order: 'asc' | 'desc'): repo.ListPosition {
  const bad = (message: string) => new Problem('invalid-request', 'The cursor is not one this API issued for this sort', [
    { field: 'cursor', in: 'querystring', message },
  ]);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad('use the nextCursor value from a previous page');
  }
  if (!Array.isArray(value) || value.length !== 4) throw bad('use the nextCursor value from a previous page');
  const [s, o, key, id] = value as unknown[];
  if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) throw bad('use the nextCursor value from a previous page');
  if (s !== sort || o !== order) throw bad('the cursor belongs to another sort or order; keep sort and order while paging');
  const numeric = sort !== 'name';
  if (key !== null && (numeric ? typeof key !== 'number' : typeof key !== 'string')) throw bad('use the nextCursor value from a previous page');
  return { key: key as string | number | null, id };
}

function chemProblem(error: unknown, field: string): never {
  if (error instanceof ChemInputError) {
    throw new Problem('invalid-structure', error.message, [{ field, in: 'body', message: error.message }]);
  }
  throw error;
}

const DEFAULT_CHUNK = 500;

export function createMoleculeService(db: Db, chem: ChemPool, options: { index?: MoleculeSearchIndex; onLocalWrite?: (ids: string[]) => void } = {}): MoleculeService {
  const index = options.index ?? new MoleculeSearchIndex({
    // Scopes are read with maintenance rights: the index serves every user, and each search only ever looks at
    // the scopes its caller may read; hits are then re-read through RLS.
    // Page by page: the index drops each page once indexed, instead of holding a million rows at once.
    loadScope: async function* (projectId): AsyncGenerator<IndexEntry[]> {
      let after: string | null = null;
      for (;;) {
        const page: IndexEntry[] = await db.asMaintenance((tx) => repo.indexPage(tx, projectId, after, 20_000));
        yield page;
        if (page.length < 20_000) return;
        after = page[page.length - 1]!.id;
      }
    },
    fetch: (ids) => db.asMaintenance((tx) => repo.indexRows(tx, ids)),
  });

  const localWrite = async (entries: IndexEntry[]) => {
    options.onLocalWrite?.(entries.map((e) => e.id));
    await index.upsert(entries);
  };

  async function assertCanWrite(actor: Actor, projectId: string | null): Promise<void> {
    const { role, admin } = await db.asUser(actor, (tx) => repo.canWrite(tx, projectId));
    if (projectId === null) {
      if (!admin) throw new Problem('forbidden', 'Only administrators may add public reference molecules; pass a projectId');
      return;
    }
    if (role === null) throw new Problem('not-found', `Project ${projectId} does not exist or is not visible to you`, [
      { field: 'projectId', in: 'body', message: 'no such project' },
    ]);
    if (role !== 'owner' && role !== 'editor') {
      throw new Problem('forbidden', `Your role in this project (${role}) cannot change molecules; owners and editors can`);
    }
  }

  async function visibleScopes(actor: Actor, filters?: DescriptorFilters): Promise<(string | null)[]> {
    const projects = await db.asUser(actor, (tx) => repo.readableProjects(tx));
    let scopes: (string | null)[] = [null, ...projects];
    if (filters?.projectId) scopes = scopes.filter((s) => s === filters.projectId);
    if (filters?.public === true) scopes = scopes.filter((s) => s === null);
    if (filters?.public === false) scopes = scopes.filter((s) => s !== null);
    return scopes;
  }

  const hasDescriptorFilter = (f?: DescriptorFilters) =>
    !!f && Object.entries(f).some(([k, v]) => v !== undefined && k !== 'projectId' && k !== 'public');

  async function hydrate(actor: Actor, ids: string[], filters?: DescriptorFilters) {
    const out = [];
    for (let i = 0; i < ids.length; i += 5000) {
      out.push(...(await db.asUser(actor, (tx) => repo.hits(tx, ids.slice(i, i + 5000), filters))));
    }
    return out;
  }

  const service: MoleculeService = {
    index,
    assertCanWrite,

    async register(actor, input) {
      const projectId = input.projectId ?? null;
      const picked = structureInput(input);
      if ('error' in picked) throw new Problem('invalid-request', picked.error, [{ field: picked.field, in: 'body', message: picked.error }]);
      const ids = normalizeIdentifiers(input);
      if (ids.errors.length) throw new Problem('unprocessable', ids.errors.map((e) => `${e.field} ${e.message}`).join('; '), ids.errors.map((e) => ({ ...e, in: 'body' })));
      await assertCanWrite(actor, projectId);
      let structure: RegisteredStructure;
      let patternFp: Uint8Array;
      try {
        structure = await chem.register(picked.input);
        patternFp = structure.patternFingerprint;
      } catch (error) {
        chemProblem(error, picked.input.smiles !== undefined ? 'smiles' : 'molblock');
      }
      const result = await db.asUser(actor, (tx) =>
        repo.insertOrFind(tx, {
          projectId,
          name: input.name?.trim() || null,
          synonyms: input.synonyms ?? [],
          structure,
          patternFp,
          identifiers: ids.value,
          sourceId: null,
          createdBy: actor.userId,
          visibility: input.visibility ?? 'project',
        }),
      );
      if (result.created) {
        await localWrite([{ id: result.molecule.id, projectId, smiles: structure.canonicalSmiles, morganFp: structure.morganFingerprint, patternFp }]);
      }
      return result;
    },

    async registerMany(actor, projectId, rows, opts = {}) {
      await assertCanWrite(actor, projectId);
      const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK;
      const firstIndex = opts.firstIndex ?? 0;
      const seen = opts.seen ?? new Map<string, string>();
      const results: RowResult[] = [];
      for (let start = 0; start < rows.length; start += chunkSize) {
        const chunk = rows.slice(start, start + chunkSize);
        // RDKit work first, outside any transaction; the pool spreads it over its workers.
        const prepared = await Promise.all(chunk.map(async (row, offset) => {
          const index = firstIndex + start + offset;
          if ('error' in row) return { index, error: row.error };
          const picked = structureInput(row);
          if ('error' in picked) return { index, error: picked.error };
          const ids = normalizeIdentifiers(row);
          if (ids.errors.length) return { index, error: ids.errors.map((e) => `${e.field} ${e.message}`).join('; ') };
          try {
            const structure = await chem.register(picked.input);
            const patternFp = structure.patternFingerprint;
            return { index, row, structure, patternFp, identifiers: ids.value };
          } catch (error) {
            if (error instanceof ChemInputError) return { index, error: error.message };
            throw error;
          }
        }));
        const fresh: typeof prepared = [];
        const chunkKeys = new Set<string>();
        for (const p of prepared) {
          if (!('structure' in p) || !p.structure) continue;
          const key = p.structure.inchikey;
          if (seen.has(key) || chunkKeys.has(key)) continue;
          chunkKeys.add(key);
          fresh.push(p);
        }
        const stored = await db.asUser(actor, (tx) => repo.insertMany(tx, projectId, actor.userId, fresh.map((p) => ({
          name: p.row?.name?.trim() || null,
          synonyms: p.row?.synonyms ?? [],
          structure: p.structure!,
          patternFp: p.patternFp ?? null,
          identifiers: p.identifiers ?? {},
        }))));
        const created: IndexEntry[] = [];
        const firstOfKey = new Set<string>();
        for (const p of prepared) {
          if (!('structure' in p) || !p.structure) {
            results.push({ index: p.index, status: 'invalid', error: p.error ?? 'invalid row' });
            continue;
          }
          const key = p.structure.inchikey;
          const earlier = seen.get(key);
          if (earlier) {
            results.push({ index: p.index, status: 'duplicate', id: earlier, inchikey: key });
            continue;
          }
          const row = stored.get(key);
          if (!row) throw new Error(`molecule ${key} was neither inserted nor found`);
          const isNew = row.created && !firstOfKey.has(key);
          firstOfKey.add(key);
          results.push({ index: p.index, status: isNew ? 'registered' : 'duplicate', id: row.id, inchikey: key });
          if (isNew) created.push({ id: row.id, projectId, smiles: p.structure.canonicalSmiles, morganFp: p.structure.morganFingerprint, patternFp: p.patternFp ?? null });
        }
        for (const [key, row] of stored) seen.set(key, row.id);
        await localWrite(created);
        await opts.onProgress?.(Math.min(rows.length, start + chunk.length));
      }
      return results;
    },

    async get(actor, id) {
      const molecule = await db.asUser(actor, (tx) => repo.findById(tx, id));
      if (!molecule) throw new Problem('not-found', `Molecule ${id} does not exist or is not visible to you`);
      return molecule;
    },

    async update(actor, id, changes) {
      const ids = normalizeIdentifiers(changes);
      if (ids.errors.length) throw new Problem('unprocessable', ids.errors.map((e) => `${e.field} ${e.message}`).join('; '), ids.errors.map((e) => ({ ...e, in: 'body' })));
      const scope = await db.asUser(actor, (tx) => repo.findScope(tx, id));
      if (!scope) throw new Problem('not-found', `Molecule ${id} does not exist or is not visible to you`);
      await assertCanWrite(actor, scope.projectId);
      const synonyms = changes.synonyms ? [...new Set(changes.synonyms.map((s) => s.trim()).filter((s) => s !== ''))] : undefined;
      return db.asUser(actor, async (tx) => {
        await repo.update(tx, id, {
          ...(changes.name !== undefined ? { name: changes.name === null ? null : changes.name.trim() || null } : {}),
          ...(synonyms ? { synonyms } : {}),
          ...ids.value,
        });
        const molecule = await repo.findById(tx, id);
        if (!molecule) throw new Problem('not-found', `Molecule ${id} does not exist or is not visible to you`);
        return molecule;
      });
    },

    async remove(actor, id) {
      const scope = await db.asUser(actor, (tx) => repo.findScope(tx, id));
      if (!scope) throw new Problem('not-found', `Molecule ${id} does not exist or is not visible to you`);
      await assertCanWrite(actor, scope.projectId);
      try {
        await db.asUser(actor, (tx) => repo.remove(tx, id));
      } catch (error) {
        if ((error as { code?: string }).code === '23503') {
          throw new Problem('conflict', 'Other records (measurements, formulations) refer to this molecule; remove them first');
        }
        throw error;
      }
      await index.remove([id]);
    },

    async list(actor, query) {
      const sort = query.sort ?? 'name';
      const order = query.order ?? 'asc';
      const after = query.cursor ? decodeCursor(query.cursor, sort, order) : undefined;
      const { cursor: _cursor, q, ...rest } = query;
      const page = await db.asUser(actor, (tx) =>
        repo.list(tx, { ...rest, sort, order, limit: query.limit, ...(q ? { q: { text: q, ...identifierQuery(q) } } : {}), ...(after ? { after } : {}) }),
      );
      return { items: page.items, nextCursor: page.next ? encodeCursor({ sort, order, position: page.next }) : null };
    },

    async *iterate(actor, selection, pageSize = 500) {
      const sort = selection.sort ?? 'name';
      const order = selection.order ?? 'asc';
      const { q, ...rest } = selection;
      let after: repo.ListPosition | undefined;
      for (;;) {
        const page = await db.asUser(actor, (tx) => repo.list(tx, {
          ...rest, sort, order, limit: pageSize, withDescriptors: true,
          ...(q ? { q: { text: q, ...identifierQuery(q) } } : {}), ...(after ? { after } : {}),
        }));
        if (page.details && page.details.length > 0) yield page.details;
        if (!page.next) return;
        after = page.next;
      }
    },

    async depiction(actor, id, size) {
      const smiles = await db.asUser(actor, (tx) => repo.findSmiles(tx, id));
      if (smiles === null) throw new Problem('not-found', `Molecule ${id} does not exist or is not visible to you`);
      try {
        return await chem.depict({ smiles, width: size.width, height: size.height, ...(size.highlight ? { highlightQuery: size.highlight } : {}) });
      } catch (error) {
        if (error instanceof ChemInputError) {
          throw new Problem('invalid-structure', error.message, [{ field: 'highlight', in: 'querystring', message: error.message }]);
        }
        throw error;
      }
    },

    async depictSmiles(smiles, size) {
      if (size.highlight) {
        // Checked first so a bad highlight query is reported on its own field, not blamed on the SMILES.
        try {
          await chem.patternFingerprint({ query: size.highlight });
        } catch (error) {
          if (error instanceof ChemInputError) {
            throw new Problem('invalid-structure', error.message, [{ field: 'highlight', in: 'querystring', message: error.message }]);
          }
          throw error;
        }
      }
      try {
        return await chem.depict({ smiles, width: size.width, height: size.height, ...(size.highlight ? { highlightQuery: size.highlight } : {}) });
      } catch (error) {
        if (error instanceof ChemInputError) {
          throw new Problem('invalid-structure', error.message, [{ field: 'smiles', in: 'querystring', message: error.message }]);
        }
        throw error;
      }
    },

    async similarity(actor, body) {
      if (body.k !== undefined && body.threshold !== undefined) {
        throw new Problem('invalid-request', 'give k (top-k) or threshold, not both', [{ field: 'threshold', in: 'body', message: 'not together with k' }]);
      }
      let fp: Uint8Array;
      try {
        fp = (await chem.register({ smiles: body.smiles })).morganFingerprint;
      } catch (error) {
        chemProblem(error, 'smiles');
      }
      const scopes = await visibleScopes(actor, body.filters);
      const filtered = hasDescriptorFilter(body.filters);
      if (body.threshold !== undefined) {
        const ranked = await index.threshold(scopes, fp, body.threshold);
        const limit = body.limit ?? 100;
        const bySim = new Map(ranked.map((h) => [h.id, h.similarity]));
        // Without descriptor filters only the returned items need reading; with them, every hit has to be checked.
        const checked = filtered ? await hydrate(actor, ranked.map((h) => h.id), body.filters) : await hydrate(actor, ranked.slice(0, limit).map((h) => h.id));
        const total = filtered ? checked.length : ranked.length;
        return { items: checked.slice(0, limit).map((h) => ({ ...h, similarity: bySim.get(h.id) ?? 0 })), total };
      }
      const k = body.k ?? 10;
      // With descriptor filters the k best *passing* molecules are wanted: widen the candidate set until k pass or
      // the index has nothing more to offer.
      for (let want = filtered ? k * 8 : k; ; want *= 8) {
        const ranked = await index.topK(scopes, fp, want);
        const bySim = new Map(ranked.map((h) => [h.id, h.similarity]));
        const checked = await hydrate(actor, ranked.map((h) => h.id), filtered ? body.filters : undefined);
        if (checked.length >= k || ranked.length < want) {
          const items = checked.slice(0, k).map((h) => ({ ...h, similarity: bySim.get(h.id) ?? 0 }));
          return { items, total: items.length };
        }
      }
    },

    async substructure(actor, body) {
      let queryFp: Uint8Array;
      try {
        queryFp = await chem.patternFingerprint({ query: body.query });
      } catch (error) {
        chemProblem(error, 'query');
      }
      const scopes = await visibleScopes(actor);
      const candidates = await index.substructureCandidates(scopes, queryFp);
      let matched: string[];
      try {
        matched = (await chem.substructureSearch(body.query, candidates)) as string[];
      } catch (error) {
        chemProblem(error, 'query');
      }
      const items = await hydrate(actor, matched.slice(0, body.limit));
      return { items, total: matched.length };
    },
  };
  return service;
}

/**
 * Computes pattern fingerprints for rows that lack them (rows registered before migration 0003, or by the
 * reference seeder). Runs as maintenance; returns how many rows it filled.
 */
export async function backfillPatternFingerprints(db: Db, chem: ChemPool, batch = 500): Promise<number> {
  let filled = 0;
  for (;;) {
    const rows = await db.asMaintenance((tx) => repo.missingPatternFps(tx, batch));
    if (rows.length === 0) return filled;
    const fps = await Promise.all(rows.map(async (r) => {
      try {
        return { id: r.id, fp: await chem.patternFingerprint({ smiles: r.smiles }) };
      } catch {
        return { id: r.id, fp: new Uint8Array(256).fill(255) }; // unparseable stored SMILES: never pre-screened out
      }
    }));
    await db.asMaintenance((tx) => repo.setPatternFps(tx, fps));
    filled += rows.length;
  }
}
