import { invalidValue } from './errors';

/** One page of `items` per the request's `maxResults`/`nextToken` (an opaque offset token). */
export function paginate<T>(items: readonly T[], q: URLSearchParams, defaultMax = 1000): { page: T[]; nextToken?: string } {
  const rawMax = q.get('maxResults');
  let max = defaultMax;
  if (rawMax !== null && rawMax !== '') {
    max = Number(rawMax);
    if (!Number.isInteger(max) || max < 1 || max > 1000) {
      throw invalidValue(`Invalid value for MaxResults: ${JSON.stringify(rawMax)} must be an integer from 1 to 1000`);
    }
  }
  let start = 0;
  const token = q.get('nextToken');
  if (token !== null && token !== '') {
    const decoded = Buffer.from(token, 'base64url').toString('utf8');
    const m = /^offset:(\d+)$/.exec(decoded);
    if (!m) throw invalidValue(`Invalid value for NextToken: ${JSON.stringify(token)} is not a token this service issued`);
    start = Number(m[1]);
  }
  const page = items.slice(start, start + max);
  const next = start + max < items.length ? Buffer.from(`offset:${start + max}`).toString('base64url') : undefined;
  return next === undefined ? { page } : { page, nextToken: next };
}
