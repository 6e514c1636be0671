/**
 * `*` (any run of characters) and `?` (one character) globs, as IAM policies, AWS Backup
 * selections and StringLike conditions use them. Case-sensitive unless asked otherwise (IAM action
 * names are case-insensitive; ARNs and tag values are not).
 *
 * Matched without a regular expression: a pattern from the input (`arn:*a*a*a*a*b`) cannot make it
 * backtrack exponentially; the cost is at most pattern length × value length.
 */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (j < v.length) {
    if (i < p.length && (p[i] === '?' || (p[i] !== '*' && p[i] === v[j]))) {
      i++;
      j++;
    } else if (i < p.length && p[i] === '*') {
      star = i++;
      mark = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++mark;
    } else return false;
  }
  while (i < p.length && p[i] === '*') i++;
  return i === p.length;
}
