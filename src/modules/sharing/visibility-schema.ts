import { OneOf } from '../../lib/schema.ts';

/**
 * Who may read a project row: its project's members ('project', the default) or every signed-in account of this
 * instance ('public'). Reference rows (no project) are always 'public'. Enforced by row-level security
 * (migration 0011); writes always need a project role.
 */
export const VISIBILITIES = ['project', 'public'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const VisibilitySchema = OneOf(VISIBILITIES, {
  description: 'project: only members of the project; public: every signed-in account (read-only). Reference data is always public',
});

/** For create bodies: omitted means 'project'. */
export const VisibilityInputSchema = OneOf(VISIBILITIES, {
  description: "Omit for 'project'. 'public' lets every signed-in account read the row (and, for a mixture or experiment, what it is made of); only owners and editors may publish",
});
