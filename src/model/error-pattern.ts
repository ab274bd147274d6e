/**
 * The pattern of an error message, for `similar_errors` and search: the review's cause line
 * (model/causes.ts: the failing test, the assertion, the compiler's code, never a banner or the exit
 * code) with paths, ids and free-standing numbers masked. One definition: the review groups errors by
 * the same line (with the tool and the command's program).
 */
import { causeLine, maskLine } from './causes.js';

export function errorPattern(message: string): string {
  return maskLine(causeLine(message).line);
}
