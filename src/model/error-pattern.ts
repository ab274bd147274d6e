/**
 * The shape of an error message: paths, hex ids and numbers masked, so that the same failure with
 * another file or exit code is one pattern. The phase review groups errors by it in SQL (DuckDB's
 * regexp_replace) and `similar_errors` matches by it in JS: both are built from this one list.
 */

/** [pattern, replacement], applied in order to the first 300 characters of a message. */
export const ERROR_MASKS: ReadonlyArray<readonly [string, string]> = [
  ['(~|\\.{0,2})?(/[^\\s:\'"`()]+)+', '<path>'],
  ['\\b[0-9a-f]{7,}\\b', '<id>'],
  ['\\d+', '<n>'],
];

/** How much of a message the pattern is taken from. */
export const ERROR_PATTERN_CHARS = 300;

const compiled = ERROR_MASKS.map(([re, to]) => [new RegExp(re, 'g'), to] as const);

/** The pattern of one message (the same the review's SQL gives). */
export function errorPattern(message: string): string {
  let out = [...message].slice(0, ERROR_PATTERN_CHARS).join('');
  for (const [re, to] of compiled) out = out.replace(re, to);
  return out;
}

/** The same masks as a DuckDB SQL expression over `col`. */
export function errorPatternSql(col: string): string {
  const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
  let expr = `left(${col}, ${ERROR_PATTERN_CHARS})`;
  for (const [re, to] of ERROR_MASKS) expr = `regexp_replace(${expr}, ${lit(re)}, ${lit(to)}, 'g')`;
  return expr;
}
