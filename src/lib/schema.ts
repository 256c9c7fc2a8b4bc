import { Type } from 'typebox';

/** One of a list of strings. A union built from a mapped array types as never, so the static type is stated. */
export const OneOf = <T extends string>(values: readonly T[], options: Record<string, unknown> = {}) =>
  Type.Unsafe<T>(Type.Union(values.map((v) => Type.Literal(v)), options));
