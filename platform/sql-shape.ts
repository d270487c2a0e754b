/**
 * SQL without its values. Statements reach logs and spans only in this shape: MikroORM and knex
 * inline parameters into some texts (a failed insert's error message can carry every value), and
 * those values are ID numbers and bank accounts.
 */
const STRING_LITERAL = /(?:\b[EeXx])?'(?:[^'\\]|''|\\.)*'/g;
const NUMBER_LITERAL = /(?<![\w$."`])-?\d+(?:\.\d+)?(?![\w."`])/g;
const LOOKS_LIKE_SQL = /\b(?:insert\s+into|select\s[\s\S]*\sfrom|update\s+\S+\s+set|delete\s+from)\b/i;
/** PostgreSQL quotes the offending values in its details: `Key (id_number)=(3607…) already exists`. */
const PG_DETAIL_VALUES: [RegExp, string][] = [
  [/\b(Key \([^)]*\)=\().*?(\)(?: already exists| is not present| conflicts))/g, '$1?$2'],
  [/\b(Failing row contains \().*\)/g, '$1?)'],
];
const STACK_FRAME = /^\s+at /;

/** Replaces every literal by `?`; placeholders (`?`, `$1`) and identifiers stay. */
export function sqlShape(sql: string): string {
  return sql.replace(STRING_LITERAL, '?').replace(NUMBER_LITERAL, '?');
}

/** Free text (an error message, a stack) that quotes a statement or its values gets them removed; stack frames stay. */
export function scrubSqlText(text: string): string {
  const sql = LOOKS_LIKE_SQL.test(text);
  return text
    .split('\n')
    .map((line) => {
      if (STACK_FRAME.test(line)) return line;
      for (const [pattern, replacement] of PG_DETAIL_VALUES) line = line.replace(pattern, replacement);
      return sql ? sqlShape(line) : line;
    })
    .join('\n');
}
