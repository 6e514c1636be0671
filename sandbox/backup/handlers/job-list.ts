import { invalidValue } from '../errors';
import { queryDate } from '../input';
import type { Ctx } from '../context';

/** What every job record has that List*Jobs filters on. */
interface ListedJob {
  readonly region: string;
  readonly accountId: string;
  readonly creationDate: number;
  readonly completionDate?: number;
}

export interface JobListFilters<J> {
  /** The job's state and the values ByState (or ByStatus) accepts; `param` is its query name. */
  readonly state: { readonly param: 'state' | 'status'; readonly member: string; readonly values: readonly string[]; readonly of: (job: J) => string };
  /** Further exact-match filters: query name → the job's value. */
  readonly equal?: Readonly<Record<string, (job: J) => string>>;
}

/**
 * The filters ListBackupJobs, ListCopyJobs and ListRestoreJobs share, newest first: the caller's
 * region, ByState/ByStatus, ByAccountId (`*` lists every account's jobs, as a management account
 * may; the sandbox holds one account), ByResourceType (every job here is DynamoDB), ByCreatedAfter
 * / ByCreatedBefore, ByCompleteAfter / ByCompleteBefore (only completed jobs match), plus the
 * list's own exact-match filters.
 */
export function listJobs<J extends ListedJob>(ctx: Ctx, jobs: Iterable<J>, filters: JobListFilters<J>): J[] {
  const q = ctx.query;
  const state = q.get(filters.state.param);
  if (state && !filters.state.values.includes(state)) throw invalidValue(`Invalid value for ${filters.state.member}: ${JSON.stringify(state)}`);
  const accountId = q.get('accountId');
  const resourceType = q.get('resourceType');
  const createdAfter = queryDate(q, 'createdAfter');
  const createdBefore = queryDate(q, 'createdBefore');
  const completeAfter = queryDate(q, 'completeAfter');
  const completeBefore = queryDate(q, 'completeBefore');
  const equal = Object.entries(filters.equal ?? {}).flatMap(([param, of]) => {
    const wanted = q.get(param);
    return wanted ? [(j: J) => of(j) === wanted] : [];
  });
  return [...jobs]
    .filter(
      (j) =>
        j.region === ctx.region &&
        (!state || filters.state.of(j) === state) &&
        (!accountId || accountId === '*' || j.accountId === accountId) &&
        (!resourceType || resourceType === 'DynamoDB') &&
        (createdAfter === undefined || j.creationDate > createdAfter) &&
        (createdBefore === undefined || j.creationDate < createdBefore) &&
        (completeAfter === undefined || (j.completionDate !== undefined && j.completionDate > completeAfter)) &&
        (completeBefore === undefined || (j.completionDate !== undefined && j.completionDate < completeBefore)) &&
        equal.every((matches) => matches(j)),
    )
    .sort((a, b) => b.creationDate - a.creationDate);
}
