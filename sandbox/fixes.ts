/**
 * Where moto 5.2.1 differs from AWS in a way the Terraform provider 5.100, the AWS CLI or the SDK
 * notices. Each fix names the difference; each has a test under test/integration/sandbox that
 * names it too. A fix sees the whole request and may forward it (changed or not) and change the
 * answer. Fixes also run on journal replay, so the little state they keep is rebuilt.
 */
import type { BufferedResponse } from './forward';
import {
  errorType, jsonResponse, newFixState, parseJson, rewriteJson, validationError, withJsonBody, type Fix, type FixContext, type FixState,
} from './fix-kit';
import { DYNAMODB_FIXES } from './fixes-dynamodb';
import { GLOBAL_TABLE_FIXES } from './fixes-global-tables';
import { IAM_FIXES } from './fixes-iam';
import { KMS_FIXES } from './fixes-kms';
import { STS_FIXES } from './fixes-sts';
import { S3_FIXES } from './fixes-s3';

export { jsonResponse, newFixState, type Fix, type FixContext, type FixState };

const TRAIL_ARN = /^arn:aws[\w-]*:cloudtrail:[^:]*:\d*:trail\/(.+)$/;
const trailName = (v: unknown): unknown => (typeof v === 'string' ? (TRAIL_ARN.exec(v)?.[1] ?? v) : v);

const cloudTrailArnNames: Fix = {
  service: 'cloudtrail',
  operations: ['StartLogging', 'StopLogging', 'GetTrailStatus', 'PutEventSelectors', 'GetEventSelectors', 'DeleteTrail', 'UpdateTrail', 'PutInsightSelectors', 'GetInsightSelectors'],
  difference: 'CloudTrail accepts the trail ARN wherever a trail name is asked for; moto fails on an ARN',
  apply: async (ctx) => {
    const input = parseJson(ctx.request.body);
    if (input.Name !== undefined) input.Name = trailName(input.Name);
    if (input.TrailName !== undefined) input.TrailName = trailName(input.TrailName);
    return ctx.forward(withJsonBody(ctx.request, input));
  },
};

const cloudTrailDescribeUnknown: Fix = {
  service: 'cloudtrail',
  operations: ['DescribeTrails'],
  difference:
    'DescribeTrails answers only the trails trailNameList names (moto answers every trail), an empty trailList for unknown ones (not TrailNotFoundException); HasCustomEventSelectors reflects PutEventSelectors',
  apply: async (ctx) => {
    const input = parseJson(ctx.request.body);
    const asked = Array.isArray(input.trailNameList) && input.trailNameList.length > 0 ? input.trailNameList.map(String) : undefined;
    const names = asked?.map(trailName);
    const res = await ctx.forward(withJsonBody(ctx.request, names ? { ...input, trailNameList: names } : input));
    if (errorType(res) === 'TrailNotFoundException') return jsonResponse(ctx.protocol, { trailList: [] });
    if (res.status !== 200) return res;
    const body = parseJson(res.body);
    const listed = Array.isArray(body.trailList) ? (body.trailList as Array<Record<string, unknown>>) : [];
    const trails = asked ? listed.filter((t) => asked.includes(String(t.Name)) || asked.includes(String(t.TrailARN))) : listed;
    body.trailList = trails;
    for (const trail of trails) {
      const selectors = await ctx.forward(
        withJsonBody({ ...ctx.request, headers: { ...ctx.request.headers, 'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.GetEventSelectors' } }, { TrailName: trail.Name }),
      );
      if (selectors.status !== 200) continue;
      const sel = parseJson(selectors.body);
      const has = (Array.isArray(sel.EventSelectors) && sel.EventSelectors.length > 0) || (Array.isArray(sel.AdvancedEventSelectors) && sel.AdvancedEventSelectors.length > 0);
      trail.HasCustomEventSelectors = has;
    }
    return rewriteJson(res, body);
  },
};

const scalingArn = (input: Record<string, unknown>): string => String(input.ResourceARN ?? '');

const appAutoScalingTags: Fix = {
  service: 'application-autoscaling',
  operations: ['ListTagsForResource', 'TagResource', 'UntagResource'],
  difference: 'Application Auto Scaling has ListTagsForResource/TagResource/UntagResource; moto answers 500',
  apply: async (ctx) => {
    const input = parseJson(ctx.request.body);
    const arn = scalingArn(input);
    if (!arn) return jsonResponse(ctx.protocol, { __type: 'ValidationException', message: 'ResourceARN: a resource ARN is required' }, 400);
    const tags = { ...(ctx.state.scalingTags.get(arn) ?? {}) };
    if (ctx.operation === 'ListTagsForResource') return jsonResponse(ctx.protocol, { Tags: tags });
    if (ctx.operation === 'TagResource') {
      const add = (input.Tags ?? {}) as Record<string, unknown>;
      for (const [k, v] of Object.entries(add)) tags[k] = String(v);
    } else {
      for (const k of Array.isArray(input.TagKeys) ? input.TagKeys : []) delete tags[String(k)];
    }
    ctx.state.scalingTags.set(arn, tags);
    return jsonResponse(ctx.protocol, {});
  },
};

const appAutoScalingDescribe: Fix = {
  service: 'application-autoscaling',
  operations: ['DescribeScalableTargets', 'DescribeScalingPolicies', 'DescribeScheduledActions', 'DescribeScalingActivities'],
  difference: 'Application Auto Scaling Describe* calls answer an empty list for unknown resources, never an error',
  apply: async (ctx) => {
    const res = await ctx.forward();
    if (res.status < 400) return res;
    const key = {
      DescribeScalableTargets: 'ScalableTargets',
      DescribeScalingPolicies: 'ScalingPolicies',
      DescribeScheduledActions: 'ScheduledActions',
      DescribeScalingActivities: 'ScalingActivities',
    }[ctx.operation] as string;
    return errorType(res) === 'ValidationException' && !/not found|does not exist/i.test(res.body.toString()) ? res : jsonResponse(ctx.protocol, { [key]: [] });
  },
};

const appAutoScalingRegisterTags: Fix = {
  service: 'application-autoscaling',
  operations: ['RegisterScalableTarget'],
  difference: 'RegisterScalableTarget keeps the Tags it is given (moto drops them)',
  apply: async (ctx) => {
    const input = parseJson(ctx.request.body);
    const res = await ctx.forward();
    if (res.status !== 200 || !input.Tags) return res;
    const arn = String(parseJson(res.body).ScalableTargetARN ?? '');
    if (arn) ctx.state.scalingTags.set(arn, { ...(ctx.state.scalingTags.get(arn) ?? {}), ...(input.Tags as Record<string, string>) });
    return res;
  },
};

function normalizeTable(table: Record<string, unknown> | undefined, tableClass: string | undefined): void {
  if (!table) return;
  const billing = (table.BillingModeSummary as Record<string, unknown> | undefined)?.BillingMode;
  if (billing === 'PAY_PER_REQUEST') {
    const zero = (pt: unknown): Record<string, unknown> => ({ ...(pt as Record<string, unknown>), ReadCapacityUnits: 0, WriteCapacityUnits: 0 });
    table.ProvisionedThroughput = { NumberOfDecreasesToday: 0, ...zero(table.ProvisionedThroughput) };
    for (const gsi of (table.GlobalSecondaryIndexes as Array<Record<string, unknown>> | undefined) ?? []) {
      gsi.ProvisionedThroughput = { NumberOfDecreasesToday: 0, ...zero(gsi.ProvisionedThroughput) };
    }
  }
  if (tableClass && !table.TableClassSummary) table.TableClassSummary = { TableClass: tableClass };
}

function keyTypesOf(table: Record<string, unknown>): Record<string, string> {
  const defs = new Map(((table.AttributeDefinitions as Array<Record<string, string>> | undefined) ?? []).map((d) => [d.AttributeName, d.AttributeType]));
  const out: Record<string, string> = {};
  for (const k of (table.KeySchema as Array<Record<string, string>> | undefined) ?? []) out[k.AttributeName] = defs.get(k.AttributeName) ?? '';
  return out;
}

const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

/** AWS's message for a table name that breaks the naming rule; undefined when the name is fine. */
export function tableNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  if (name.length < 3 || name.length > 255) {
    return `1 validation error detected: Value '${name}' at 'tableName' failed to satisfy constraint: Member must have length between 3 and 255`;
  }
  if (!TABLE_NAME.test(name)) {
    return `1 validation error detected: Value '${name}' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`;
  }
  return undefined;
}

/** The first key attribute whose type differs from the table's key schema, as AWS words it. */
function keyMismatch(key: unknown, types: Record<string, string> | undefined, wholeItem: boolean): string | undefined {
  if (!types || typeof key !== 'object' || key === null) return undefined;
  const attrs = key as Record<string, unknown>;
  for (const [name, type] of Object.entries(types)) {
    const value = attrs[name];
    if (value === undefined) {
      return wholeItem
        ? `One or more parameter values were invalid: Missing the key ${name} in the item`
        : 'The provided key element does not match the schema';
    }
    if (typeof value !== 'object' || value === null || !(type in value)) {
      return wholeItem
        ? `One or more parameter values were invalid: Type mismatch for key ${name} expected: ${type} actual: ${Object.keys(value as object ?? {})[0] ?? 'none'}`
        : 'The provided key element does not match the schema';
    }
  }
  if (!wholeItem && Object.keys(attrs).length !== Object.keys(types).length) return 'The provided key element does not match the schema';
  return undefined;
}

const dynamoDbKeyTypes: Fix = {
  service: 'dynamodb',
  operations: ['PutItem', 'GetItem', 'DeleteItem', 'UpdateItem', 'BatchWriteItem'],
  difference: 'a key attribute of the wrong type or a missing key attribute is a ValidationException (moto accepts it)',
  apply: async (ctx) => {
    const input = parseJson(ctx.request.body);
    const typesOf = (table: unknown) => ctx.state.keyTypes.get(`${ctx.region}/${String(table)}`);
    let problem: string | undefined;
    if (ctx.operation === 'BatchWriteItem') {
      for (const [table, requests] of Object.entries((input.RequestItems ?? {}) as Record<string, unknown>)) {
        for (const r of Array.isArray(requests) ? (requests as Array<Record<string, Record<string, unknown>>>) : []) {
          problem ??= r.PutRequest ? keyMismatch(r.PutRequest.Item, typesOf(table), true)
            : r.DeleteRequest ? keyMismatch(r.DeleteRequest.Key, typesOf(table), false) : undefined;
        }
      }
    } else if (ctx.operation === 'PutItem') {
      problem = keyMismatch(input.Item, typesOf(input.TableName), true);
    } else {
      problem = keyMismatch(input.Key, typesOf(input.TableName), false);
    }
    return problem ? validationError(ctx, problem) : ctx.forward();
  },
};

const dynamoDbTableShape: Fix = {
  service: 'dynamodb',
  operations: ['CreateTable', 'UpdateTable', 'DescribeTable', 'DeleteTable'],
  difference: 'on-demand tables report 0 provisioned capacity, and TableClassSummary is kept (moto reports 5 and drops the class)',
  apply: async (ctx) => {
    const input = parseJson(ctx.request.body);
    const key = `${ctx.region}/${String(input.TableName ?? '')}`;
    const badName = ctx.operation === 'CreateTable' ? tableNameProblem(input.TableName) : undefined;
    if (badName) return validationError(ctx, badName);
    const res = await ctx.forward();
    if (res.status !== 200) return res;
    if (ctx.operation === 'DeleteTable') ctx.state.tableClasses.delete(key);
    if ((ctx.operation === 'CreateTable' || ctx.operation === 'UpdateTable') && typeof input.TableClass === 'string') {
      ctx.state.tableClasses.set(key, input.TableClass);
    }
    const body = parseJson(res.body);
    const table = (body.Table ?? body.TableDescription) as Record<string, unknown> | undefined;
    if (ctx.operation === 'DeleteTable') ctx.state.keyTypes.delete(key);
    else if (table) ctx.state.keyTypes.set(key, keyTypesOf(table));
    normalizeTable((body.Table ?? body.TableDescription) as Record<string, unknown> | undefined, ctx.state.tableClasses.get(key));
    return rewriteJson(res, body);
  },
};

/** AWS's default automatic rotation period. */
export const DEFAULT_ROTATION_DAYS = 365;
const keyIdOf = (v: unknown): string => String(v ?? '').replace(/^arn:[^:]*:kms:[^:]*:\d*:key\//, '');

const kmsRotationPeriod: Fix = {
  service: 'kms',
  operations: ['EnableKeyRotation', 'DisableKeyRotation', 'GetKeyRotationStatus'],
  difference: 'GetKeyRotationStatus reports RotationPeriodInDays (the one given to EnableKeyRotation, default 365); moto omits it',
  apply: async (ctx) => {
    const input = parseJson(ctx.request.body);
    const key = `${ctx.region}/${keyIdOf(input.KeyId)}`;
    const res = await ctx.forward();
    if (res.status !== 200) return res;
    if (ctx.operation === 'EnableKeyRotation') {
      const days = typeof input.RotationPeriodInDays === 'number' ? input.RotationPeriodInDays : DEFAULT_ROTATION_DAYS;
      ctx.state.rotationPeriods.set(key, days);
      return res;
    }
    if (ctx.operation === 'DisableKeyRotation') {
      ctx.state.rotationPeriods.delete(key);
      return res;
    }
    const body = parseJson(res.body);
    if (body.KeyRotationEnabled === true && body.RotationPeriodInDays === undefined) {
      body.RotationPeriodInDays = ctx.state.rotationPeriods.get(key) ?? DEFAULT_ROTATION_DAYS;
      return rewriteJson(res, body);
    }
    return res;
  },
};

export const FIXES: ReadonlyArray<Fix> = [
  kmsRotationPeriod,
  cloudTrailArnNames,
  cloudTrailDescribeUnknown,
  appAutoScalingTags,
  appAutoScalingDescribe,
  appAutoScalingRegisterTags,
  dynamoDbTableShape,
  dynamoDbKeyTypes,
  ...DYNAMODB_FIXES,
  ...KMS_FIXES,
  ...STS_FIXES,
  ...IAM_FIXES,
  ...GLOBAL_TABLE_FIXES,
  ...S3_FIXES,
];

/**
 * An operation with several fixes runs them as a chain, in FIXES order: each one's `forward` hands
 * the (possibly changed) request to the next, the last one's to moto.
 */
function chain(fixes: ReadonlyArray<Fix>): Fix {
  if (fixes.length === 1) return fixes[0];
  return {
    service: fixes[0].service,
    operations: [...new Set(fixes.flatMap((f) => f.operations))],
    difference: fixes.map((f) => f.difference).join('; '),
    apply: (ctx) => {
      const step = (i: number, c: FixContext): Promise<BufferedResponse> =>
        fixes[i].apply({
          ...c,
          forward: (request) => (i === fixes.length - 1 ? ctx.forward(request ?? c.request) : step(i + 1, { ...c, request: request ?? c.request })),
        });
      return step(0, ctx);
    },
  };
}

const byOperation = new Map<string, Fix[]>();
for (const fix of FIXES) {
  for (const op of fix.operations) {
    const key = `${fix.service}:${op}`;
    byOperation.set(key, [...(byOperation.get(key) ?? []), fix]);
  }
}
const index = new Map<string, Fix>([...byOperation].map(([key, fixes]) => [key, chain(fixes)]));

export function findFix(service: string, operation: string | undefined): Fix | undefined {
  return operation ? index.get(`${service}:${operation}`) : undefined;
}
