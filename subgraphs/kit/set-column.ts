/**
 * A small set of enum values stored in one string column as `,A,B,`: portable across SQLite and
 * PostgreSQL, and "has tag X" is a single `LIKE '%,X,%'` on both.
 */
export const encodeSet = (values: readonly string[]): string =>
  values.length ? `,${[...new Set(values)].sort().join(',')},` : '';

export const decodeSet = <T extends string>(column: string): T[] => column.split(',').filter(Boolean) as T[];

/** The LIKE pattern matching rows whose set contains `value`. */
export const setContains = (value: string): string => `%,${value},%`;
