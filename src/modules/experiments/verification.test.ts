import { describe, expect, it } from 'vitest';
import {
  decideTransition, editOpensRevision, isEditable, nextStates, VERIFICATION_STATES,
  type ProjectRole, type TransitionActor, type VerificationState,
} from './verification.ts';

const ROLES: (ProjectRole | null)[] = ['owner', 'editor', 'reviewer', 'viewer', null];
const ACTORS: TransitionActor[] = ROLES.flatMap((role) => [true, false].map((isAuthor) => ({ role, isAuthor })));

/** The complete table of legal edges, written out independently of the implementation. */
const LEGAL = new Set(['draft>submitted', 'submitted>in_review', 'in_review>verified', 'in_review>changes_requested', 'in_review>rejected', 'changes_requested>submitted']);

describe('verification state machine', () => {
  it('refuses every illegal transition with a reason, for every actor (exhaustive)', () => {
    let illegal = 0;
    for (const from of VERIFICATION_STATES) {
      for (const to of VERIFICATION_STATES) {
        if (LEGAL.has(`${from}>${to}`)) continue;
        for (const actor of ACTORS) {
          const decision = decideTransition(from, to, actor);
          expect(decision).toMatchObject({ ok: false, kind: 'illegal' });
          if (!decision.ok) expect(decision.reason).toMatch(from);
          illegal++;
        }
      }
    }
    expect(illegal).toBe((36 - LEGAL.size) * ACTORS.length);
  });

  it('lets only reviewers who are not the author review', () => {
    for (const to of ['verified', 'changes_requested', 'rejected'] as VerificationState[]) {
      for (const actor of ACTORS) {
        const decision = decideTransition('in_review', to, actor);
        const allowed = actor.role === 'reviewer' && !actor.isAuthor;
        expect(decision.ok, `${JSON.stringify(actor)} → ${to}`).toBe(allowed);
        if (!decision.ok) expect(decision.kind).toBe('forbidden');
      }
    }
    expect(decideTransition('submitted', 'in_review', { role: 'reviewer', isAuthor: true })).toMatchObject({
      ok: false, kind: 'forbidden', reason: expect.stringMatching(/own experiment/),
    });
  });

  it('lets the author, editors and owners submit and re-submit, but not viewers or outsiders', () => {
    for (const from of ['draft', 'changes_requested'] as VerificationState[]) {
      for (const actor of ACTORS) {
        const allowed = actor.isAuthor || actor.role === 'owner' || actor.role === 'editor';
        expect(decideTransition(from, 'submitted', actor).ok, `${from} ${JSON.stringify(actor)}`).toBe(allowed);
      }
    }
  });

  it('treats verified and rejected as final and knows which states are editable', () => {
    expect(nextStates('verified')).toEqual([]);
    expect(nextStates('rejected')).toEqual([]);
    expect(nextStates('in_review').sort()).toEqual(['changes_requested', 'rejected', 'verified']);
    expect(VERIFICATION_STATES.filter(isEditable)).toEqual(['draft', 'changes_requested']);
    expect(VERIFICATION_STATES.filter(editOpensRevision)).toEqual(['verified']);
  });
});
