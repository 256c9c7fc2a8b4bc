import type { Actor, Db } from '../../db/db.ts';
import { Problem } from '../../app/problems.ts';
import { recordSecurityEvent } from '../accounts/repo.ts';
import type { Visibility } from './visibility-schema.ts';

/**
 * Changing who may read a project's molecule, mixture or experiment. Visibility is access control, like share
 * links, so it lives here rather than in each data module; the rules themselves are in the database (migration
 * 0011): the select policies, the owner/editor check, transitive publishing and the refusal to make private a row
 * that a public one still needs.
 */
export const VISIBLE_RESOURCES = ['molecule', 'mixture', 'experiment'] as const;
export type VisibleResource = (typeof VISIBLE_RESOURCES)[number];

// A fixed map, never caller text: the table name is the one part of the SQL below that is not a parameter.
const TABLES: Record<VisibleResource, string> = { molecule: 'molecules', mixture: 'mixtures', experiment: 'experiments' };

const WHAT_IT_PUBLISHES: Record<VisibleResource, string> = {
  molecule: '',
  mixture: ' Its project molecules and components are public with it.',
  experiment: ' Its formulation (with its molecules) and sample type are public with it.',
};

export interface VisibilityChange {
  resourceType: VisibleResource;
  id: string;
  projectId: string;
  visibility: Visibility;
  changed: boolean;
  detail: string;
}

interface Row {
  project_id: string | null;
  visibility: Visibility;
  role: string | null;
}

export function createVisibilityService(db: Db) {
  return {
    async set(actor: Actor, resourceType: VisibleResource, id: string, visibility: Visibility): Promise<VisibilityChange> {
      const table = TABLES[resourceType];
      const outcome = await db.asUser(actor, async (tx) => {
        const row = (await tx.query<Row>(
          `select project_id, visibility, app.project_role(project_id) as role from ${table} where id = $1`, [id],
        )).rows[0];
        if (!row) throw new Problem('not-found', `${resourceType} ${id} does not exist or is not visible to you`);
        if (row.project_id === null) {
          throw new Problem('unprocessable', 'Reference data is public for everyone and stays so', [
            { field: 'visibility', in: 'body', message: 'a reference row has no project to keep it in' },
          ]);
        }
        if (row.role !== 'owner' && row.role !== 'editor') {
          // Readable (it is public) but not theirs to change: saying so reveals nothing.
          throw new Problem('forbidden', `Only owners and editors of the project may change who can read its rows; your role is ${row.role ?? 'none'}`);
        }
        if (row.visibility === visibility) return { projectId: row.project_id, from: row.visibility, changed: false };
        try {
          await tx.query(`update ${table} set visibility = $2 where id = $1`, [id, visibility]);
        } catch (error) {
          const e = error as { code?: string; constraint?: string; message?: string };
          if (e.code === '23514' && e.constraint === 'visibility_needed_by_public_row') {
            throw new Problem('conflict', `This ${resourceType} is ${e.message ?? 'still used by a public row'}; make that private first`, [
              { field: 'visibility', in: 'body', message: 'needed by a public row' },
            ]);
          }
          throw error;
        }
        return { projectId: row.project_id, from: row.visibility, changed: true };
      });
      if (outcome.changed) {
        // The row trigger logged the data change; this entry makes the decision easy to find for the project's owners.
        await db.asMaintenance((tx) => recordSecurityEvent(tx, {
          action: 'visibility_changed', actorId: actor.userId, ...(actor.requestId ? { requestId: actor.requestId } : {}),
          detail: { projectId: outcome.projectId, table, rowId: id, from: outcome.from, to: visibility },
        }));
      }
      const detail = visibility === 'public'
        ? `Every signed-in account can now read this ${resourceType}; only the project's members can change it.${WHAT_IT_PUBLISHES[resourceType]}`
        : `Only members of the project can read this ${resourceType} now.`;
      return { resourceType, id, projectId: outcome.projectId, visibility, changed: outcome.changed, detail };
    },
  };
}

export type VisibilityService = ReturnType<typeof createVisibilityService>;
