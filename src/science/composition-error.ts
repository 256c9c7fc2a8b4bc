/**
 * Typed failures of the composition solver, shaped so an API can answer 422 and name the component
 * and the quantity the caller has to supply.
 */

export type MissingQuantity = 'density' | 'molarMass';

export type CompositionProblem =
  /** The listed components leave no room (or negative room) for water, the balance component. */
  | 'exceedsTotal'
  | 'negativeAmount'
  | 'nonFiniteAmount'
  /** A molar mass, density or solution density that is not a finite positive number. */
  | 'invalidProperty'
  | 'duplicateComponent'
  | 'unknownUnit'
  /** "water" is the implicit balance and cannot be listed as a component. */
  | 'reservedKey'
  | 'unknownComponent'
  /** The constraints have no unique physical solution. */
  | 'inconsistent';

export interface MissingQuantityIssue {
  readonly kind: 'missing';
  readonly component: string;
  readonly missing: MissingQuantity;
  readonly message: string;
}

export interface CompositionProblemIssue {
  readonly kind: 'problem';
  readonly problem: CompositionProblem;
  /** The component concerned; absent when the problem belongs to the recipe as a whole. */
  readonly component?: string;
  readonly message: string;
}

export type CompositionIssue = MissingQuantityIssue | CompositionProblemIssue;

export class CompositionError extends Error {
  readonly issues: readonly CompositionIssue[];

  constructor(issues: readonly CompositionIssue[]) {
    super(issues.map((i) => i.message).join('; ') || 'Invalid composition');
    this.name = 'CompositionError';
    this.issues = issues;
  }
}
