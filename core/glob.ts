/**
 * `*` (any run of characters) and `?` (one character) globs, as IAM policies, AWS Backup
 * selections and StringLike conditions use them. Case-sensitive unless asked otherwise (IAM action
 * names are case-insensitive; ARNs and tag values are not).
 */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}
