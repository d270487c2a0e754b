/**
 * SQL without its values. Statements reach logs and spans only in this shape: MikroORM and knex
 * inline parameters into some texts (a failed insert's error message carries every value), and
 * those values are ID numbers and bank accounts.
 */
const STRING_LITERAL = /(?:\b[EeXx])?'(?:[^'\\]|''|\\.)*'/g;
const NUMBER_LITERAL = /(?<![\w$."`])-?\d+(?:\.\d+)?(?![\w."`])/g;
const LOOKS_LIKE_SQL = /\b(?:insert\s+into|select\s[\s\S]*\sfrom|update\s+\S+\s+set|delete\s+from)\b/i;

/** Replaces every literal by `?`; placeholders (`?`, `$1`) and identifiers stay. */
export function sqlShape(sql: string): string {
  return sql.replace(STRING_LITERAL, '?').replace(NUMBER_LITERAL, '?');
}

/** Free text (an error message, a stack) that quotes a statement gets its literals removed. */
export function scrubSqlText(text: string): string {
  return LOOKS_LIKE_SQL.test(text) ? sqlShape(text) : text;
}
