/** Public surface of the formulation science core (pure; no I/O). */
export * from './units.ts';
export * from './composition-error.ts';
export * from './composition.ts';
export * from './glass-transition.ts';
export * from './qv-star.ts';
export * from './osmolality.ts';
export * from './toxicity-kinetics.ts';
export * from './reference-data.ts';
export { SingularSystemError, solveLinearSystem } from './linear-system.ts';
export { type SeededRandom, seededRandom } from './seeded-random.ts';
