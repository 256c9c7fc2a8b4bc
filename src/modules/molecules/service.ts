import type { Actor, Db } from '../../db/db.ts';
import { ChemInputError, type ChemPool } from '../../chem/pool.ts';
import { Problem } from '../../app/problems.ts';
import * as repo from './repo.ts';
import type { CreateMoleculeBody, Molecule, MoleculeDetail } from './schemas.ts';

export interface MoleculeService {
  register(actor: Actor, input: CreateMoleculeBody): Promise<{ molecule: MoleculeDetail; created: boolean }>;
  get(actor: Actor, id: string): Promise<MoleculeDetail>;
  list(actor: Actor, query: { limit: number; cursor?: string; q?: string }): Promise<{ items: Molecule[]; nextCursor: string | null }>;
  depiction(actor: Actor, id: string, size: { width: number; height: number }): Promise<string>;
}

function encodeCursor(position: { sortKey: string; id: string }): string {
  return Buffer.from(JSON.stringify([position.sortKey, position.id])).toString('base64url');
}

function decodeCursor(cursor: string): { sortKey: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string'
      && /^[0-9a-f-]{36}$/i.test(value[1])) {
      return { sortKey: value[0], id: value[1] };
    }
  } catch {
    // Fall through to the problem below.
  }
  throw new Problem('invalid-request', 'The cursor is not one this API issued', [
    { field: 'cursor', in: 'querystring', message: 'use the nextCursor value from a previous page' },
  ]);
}

/** Checks that the actor may write into the target scope, answering as the API should (404 hides, 403 refuses). */
async function assertCanWrite(db: Db, actor: Actor, projectId: string | null): Promise<void> {
  const { role, admin } = await db.asUser(actor, async (tx) => {
    const result = await tx.query<{ role: string | null; admin: boolean }>(
      'select app.project_role($1::uuid) as role, app.is_admin() as admin',
      [projectId],
    );
    return result.rows[0] ?? { role: null, admin: false };
  });
  if (projectId === null) {
    if (!admin) throw new Problem('forbidden', 'Only administrators may add public reference molecules; pass a projectId');
    return;
  }
  if (role === null) throw new Problem('not-found', `Project ${projectId} does not exist or is not visible to you`, [
    { field: 'projectId', in: 'body', message: 'no such project' },
  ]);
  if (role !== 'owner' && role !== 'editor') {
    throw new Problem('forbidden', `Your role in this project (${role}) cannot add molecules; owners and editors can`);
  }
}

export function createMoleculeService(db: Db, chem: ChemPool): MoleculeService {
  return {
    async register(actor, input) {
      const projectId = input.projectId ?? null;
      await assertCanWrite(db, actor, projectId);
      let structure;
      try {
        structure = await chem.register({ smiles: input.smiles });
      } catch (error) {
        if (error instanceof ChemInputError) {
          throw new Problem('invalid-structure', error.message, [{ field: 'smiles', in: 'body', message: error.message }]);
        }
        throw error;
      }
      return db.asUser(actor, (tx) =>
        repo.insertOrFind(tx, {
          projectId,
          name: input.name?.trim() || null,
          synonyms: input.synonyms ?? [],
          structure,
          sourceId: null,
          createdBy: actor.userId,
        }),
      );
    },

    async get(actor, id) {
      const molecule = await db.asUser(actor, (tx) => repo.findById(tx, id));
      if (!molecule) throw new Problem('not-found', `Molecule ${id} does not exist or is not visible to you`);
      return molecule;
    },

    async list(actor, query) {
      const page = await db.asUser(actor, (tx) =>
        repo.list(tx, { limit: query.limit, q: query.q, after: query.cursor ? decodeCursor(query.cursor) : undefined }),
      );
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },

    async depiction(actor, id, size) {
      const smiles = await db.asUser(actor, (tx) => repo.findSmiles(tx, id));
      if (smiles === null) throw new Problem('not-found', `Molecule ${id} does not exist or is not visible to you`);
      return chem.depict({ smiles, width: size.width, height: size.height });
    },
  };
}
