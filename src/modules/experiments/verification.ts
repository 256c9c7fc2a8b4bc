/**
 * The lab verification workflow as an explicit state machine. Pure: the service feeds it the current state and
 * who is acting, and it answers with the new state or the reason it refuses. The database enforces the same
 * rules (constraint + policy), so a bug in a caller cannot skip a step.
 *
 *   draft ──submit──▶ submitted ──start review──▶ in_review ──▶ verified | changes_requested | rejected
 *     ▲                                                              │
 *     └──────────────── changes_requested ──re-submit──▶ submitted ◀─┘
 */
export const VERIFICATION_STATES = ['draft', 'submitted', 'in_review', 'verified', 'changes_requested', 'rejected'] as const;
export type VerificationState = (typeof VERIFICATION_STATES)[number];

export type ProjectRole = 'owner' | 'editor' | 'reviewer' | 'viewer';

export interface TransitionActor {
  /** The actor created the experiment (or its current revision). */
  isAuthor: boolean;
  /** The actor's role in the experiment's project; null when not a member. */
  role: ProjectRole | null;
}

type Who = 'author' | 'reviewer';

/** Every legal edge and who may take it. Anything not listed is illegal (409). */
const EDGES: Readonly<Record<VerificationState, Partial<Record<VerificationState, Who>>>> = {
  draft: { submitted: 'author' },
  submitted: { in_review: 'reviewer' },
  in_review: { verified: 'reviewer', changes_requested: 'reviewer', rejected: 'reviewer' },
  changes_requested: { submitted: 'author' },
  verified: {},
  rejected: {},
};

export type TransitionDecision =
  | { ok: true; to: VerificationState }
  | { ok: false; kind: 'illegal'; reason: string }
  | { ok: false; kind: 'forbidden'; reason: string };

export function isVerificationState(value: string): value is VerificationState {
  return (VERIFICATION_STATES as readonly string[]).includes(value);
}

/** States from which the actor may legally move, whoever they are (for UIs and error messages). */
export function nextStates(from: VerificationState): VerificationState[] {
  return Object.keys(EDGES[from]) as VerificationState[];
}

export function decideTransition(from: VerificationState, to: VerificationState, actor: TransitionActor): TransitionDecision {
  const who = EDGES[from][to];
  if (!who) {
    const allowed = nextStates(from);
    return {
      ok: false,
      kind: 'illegal',
      reason: allowed.length === 0
        ? `a ${from} experiment is final; edit it to open a new revision instead`
        : `cannot go from ${from} to ${to}; from ${from} the next state is ${allowed.join(' or ')}`,
    };
  }
  if (who === 'author') {
    // Authors submit their own work; editors and owners may submit on a colleague's behalf.
    if (actor.isAuthor || actor.role === 'owner' || actor.role === 'editor') return { ok: true, to };
    return { ok: false, kind: 'forbidden', reason: 'only the author, an editor or an owner may submit an experiment' };
  }
  if (actor.role !== 'reviewer') {
    return { ok: false, kind: 'forbidden', reason: 'only a project member with the reviewer role may review an experiment' };
  }
  if (actor.isAuthor) {
    return { ok: false, kind: 'forbidden', reason: 'reviewers may not review their own experiment' };
  }
  return { ok: true, to };
}

/** Recorded results may change only before submission or after changes were requested. */
export function isEditable(state: VerificationState): boolean {
  return state === 'draft' || state === 'changes_requested';
}

/** A verified experiment is locked: editing it opens a new revision that starts as a draft. */
export function editOpensRevision(state: VerificationState): boolean {
  return state === 'verified';
}
