/**
 * Property-based: `tablesafe check` over random, valid-shaped Terraform JSON — sections as arrays
 * or objects, `"//"` comments, blocks as objects or arrays, count and for_each, references (to the
 * right resource, to an index, a splat, a variable) in every field a rule reads, names with `-`
 * and `_` that prefix each other — never throws, gives the same report twice, and renaming the
 * resources (and every reference to them) never changes a verdict.
 */
import fc from 'fast-check';
import { runCheck } from '../../../compliance';

const TYPES = [
  'aws_kms_key', 'aws_kms_alias', 'aws_dynamodb_table', 'aws_backup_vault', 'aws_backup_vault_policy', 'aws_backup_vault_lock_configuration',
  'aws_backup_plan', 'aws_backup_selection', 'aws_s3_bucket', 'aws_s3_bucket_public_access_block', 'aws_s3_bucket_versioning',
  'aws_s3_bucket_policy', 'aws_cloudtrail', 'aws_iam_role', 'aws_iam_role_policy', 'aws_appautoscaling_target', 'aws_appautoscaling_policy',
] as const;
type Type = (typeof TYPES)[number];

/** A value in the model: a literal, a variable, or a reference to the i-th resource of a type (renamed at render time). */
type V =
  | { readonly lit: unknown }
  | { readonly v: string }
  | { readonly ref: Type; readonly i: number; readonly attr: string; readonly index: 'none' | 'zero' | 'splat'; readonly wrap: 'plain' | 'tostring' | 'prefix' };

interface Res {
  readonly type: Type;
  /** Attributes: values (V), nested blocks (objects of values and blocks). */
  readonly body: Record<string, unknown>;
  readonly expand: { readonly count: number } | { readonly forEach: readonly string[] } | undefined;
}

interface Shape {
  readonly sectionArray: boolean;
  readonly typeArray: boolean;
  readonly bodyArray: boolean;
  readonly blockArray: boolean;
  readonly comments: boolean;
}

const v = {
  bool: (): fc.Arbitrary<V> => fc.oneof(fc.constantFrom<V>({ lit: true }, { lit: false }, { lit: 'true' }, { v: 'flag' })),
  ref: (types: readonly Type[], attrs: readonly string[]): fc.Arbitrary<V> =>
    fc.record({
      ref: fc.constantFrom(...types),
      i: fc.nat(3),
      attr: fc.constantFrom(...attrs),
      index: fc.constantFrom('none' as const, 'zero' as const, 'splat' as const),
      wrap: fc.constantFrom('plain' as const, 'tostring' as const, 'prefix' as const),
    }),
  text: (words: readonly string[]): fc.Arbitrary<V> => fc.constantFrom(...words).map((lit) => ({ lit })),
};
const or = (...xs: fc.Arbitrary<V>[]) => fc.oneof(...xs);
const policyText = fc.constantFrom(
  JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }] }),
  JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: '*', Action: ['backup:DeleteRecoveryPoint', 's3:*'], Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] }),
  JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:root' }, Action: 'dynamodb:*', Resource: '*' }] }),
  JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { Bool: null } }] }),
  '${jsonencode({ Statement = [{ Effect = "Allow", Action = "dynamodb:DeleteTable", Resource = "*" }] })}',
  '{"Statement": [',
).map((lit): V => ({ lit }));

function bodyOf(type: Type): fc.Arbitrary<Record<string, unknown>> {
  const name = v.text(['orders', 'logs', 'logs-archive', 'main', 'tablesafe-drill-x', 'a_b']);
  switch (type) {
    case 'aws_kms_key': return fc.record({ enable_key_rotation: v.bool(), policy: or(policyText, v.ref(['aws_kms_key'], ['id'])) }, { requiredKeys: [] });
    case 'aws_kms_alias': return fc.record({ name: v.text(['alias/a', 'alias/aws/dynamodb']), target_key_id: v.ref(['aws_kms_key'], ['key_id', 'arn']) });
    case 'aws_dynamodb_table':
      return fc.record({
        name,
        billing_mode: v.text(['PAY_PER_REQUEST', 'PROVISIONED']),
        point_in_time_recovery: fc.record({ enabled: v.bool() }),
        server_side_encryption: fc.record({ enabled: v.bool(), kms_key_arn: or(v.ref(['aws_kms_key', 'aws_kms_alias'], ['arn', 'target_key_arn']), v.text(['alias/aws/dynamodb'])) }, { requiredKeys: ['enabled'] }),
        deletion_protection_enabled: v.bool(),
        tags: fc.record({ owner: or(v.text(['x', '']), fc.constant<V>({ v: 'owner' })) }, { requiredKeys: [] }),
      }, { requiredKeys: ['name'] });
    case 'aws_backup_vault': return fc.record({ name, kms_key_arn: or(v.ref(['aws_kms_key'], ['arn']), v.text(['alias/aws/backup'])) }, { requiredKeys: ['name'] });
    case 'aws_backup_vault_policy': return fc.record({ backup_vault_name: or(v.ref(['aws_backup_vault'], ['name', 'id']), name), policy: policyText });
    case 'aws_backup_vault_lock_configuration': return fc.record({ backup_vault_name: or(v.ref(['aws_backup_vault'], ['name']), name), min_retention_days: fc.constantFrom<V>({ lit: 1 }, { lit: 30 }, { v: 'min' }), max_retention_days: fc.constantFrom<V>({ lit: 40 }, { lit: 365 }) });
    case 'aws_backup_plan':
      return fc.record({
        name,
        rule: fc.record({
          rule_name: v.text(['daily', 'hourly']),
          target_vault_name: or(v.ref(['aws_backup_vault'], ['name']), name),
          schedule: v.text(['cron(0 5 ? * * *)', 'cron(0 * ? * * *)', 'rate(1 day)']),
          lifecycle: fc.record({ delete_after: fc.constantFrom<V>({ lit: 7 }, { lit: 35 }, { lit: 400 }, { v: 'days' }) }),
        }),
      });
    case 'aws_backup_selection': return fc.record({ name, plan_id: v.ref(['aws_backup_plan'], ['id']), resources: or(v.ref(['aws_dynamodb_table'], ['arn']), v.text(['arn:aws:dynamodb:*:*:table/orders', '*'])) });
    case 'aws_s3_bucket': return fc.record({ bucket: name });
    case 'aws_s3_bucket_public_access_block': return fc.record({ bucket: or(v.ref(['aws_s3_bucket'], ['id', 'bucket']), name), block_public_acls: v.bool(), block_public_policy: v.bool(), ignore_public_acls: v.bool(), restrict_public_buckets: v.bool() });
    case 'aws_s3_bucket_versioning': return fc.record({ bucket: or(v.ref(['aws_s3_bucket'], ['id']), name), versioning_configuration: fc.record({ status: or(v.text(['Enabled', 'Suspended']), fc.constant<V>({ v: 'status' })) }) });
    case 'aws_s3_bucket_policy': return fc.record({ bucket: or(v.ref(['aws_s3_bucket'], ['id']), name), policy: policyText });
    case 'aws_cloudtrail': return fc.record({ name, s3_bucket_name: or(v.ref(['aws_s3_bucket'], ['id', 'bucket']), name, fc.constant<V>({ v: 'bucket' })), is_multi_region_trail: v.bool(), enable_log_file_validation: v.bool(), kms_key_id: v.ref(['aws_kms_key'], ['arn']) }, { requiredKeys: ['name', 's3_bucket_name'] });
    case 'aws_iam_role': return fc.record({ name, tags: fc.record({ 'tablesafe:role': v.text(['restore-drill', 'app-reader']) }) }, { requiredKeys: ['name'] });
    case 'aws_iam_role_policy': return fc.record({ role: or(v.ref(['aws_iam_role'], ['name', 'id']), name), policy: policyText });
    case 'aws_appautoscaling_target':
    case 'aws_appautoscaling_policy':
      return fc.record({ service_namespace: v.text(['dynamodb']), resource_id: or(v.text(['table/orders']), v.ref(['aws_appautoscaling_target'], ['resource_id'])), scalable_dimension: v.text(['dynamodb:table:ReadCapacityUnits', 'dynamodb:table:WriteCapacityUnits']) });
  }
}

const resourceOf = (type: Type): fc.Arbitrary<Res> =>
  fc.record({
    type: fc.constant(type),
    body: bodyOf(type),
    expand: fc.oneof(
      { weight: 3, arbitrary: fc.constant(undefined) },
      fc.nat(2).map((count) => ({ count })),
      fc.uniqueArray(fc.constantFrom('a', 'b', 'c-d'), { minLength: 1, maxLength: 2 }).map((forEach) => ({ forEach })),
    ),
  });

/** A few types, several resources of each: resources of one type then link to each other and share name prefixes. */
const GROUPS: readonly (readonly Type[])[] = [
  ['aws_s3_bucket', 'aws_s3_bucket_public_access_block', 'aws_s3_bucket_versioning', 'aws_s3_bucket_policy', 'aws_cloudtrail', 'aws_kms_key'],
  ['aws_backup_vault', 'aws_backup_vault_policy', 'aws_backup_vault_lock_configuration', 'aws_backup_plan', 'aws_kms_key'],
  ['aws_dynamodb_table', 'aws_backup_selection', 'aws_backup_plan', 'aws_kms_key', 'aws_kms_alias', 'aws_appautoscaling_target', 'aws_appautoscaling_policy'],
  ['aws_iam_role', 'aws_iam_role_policy'],
  TYPES,
];

const resources: fc.Arbitrary<Res[]> = fc
  .constantFrom(...GROUPS)
  .chain((group) => fc.subarray([...group], { minLength: Math.min(2, group.length), maxLength: Math.min(6, group.length) }))
  .chain((types) => fc.tuple(...types.map((t) => fc.array(resourceOf(t), { minLength: 1, maxLength: 4 }))))
  .map((lists) => lists.flat());

/** Names with - and _ that often prefix one another (k, k-2, k_2, logs, logs-archive). */
const NAME = fc.oneof(
  fc.constantFrom('k', 'k-2', 'k_2', 'k-2-b', 'logs', 'logs-archive', 'logs_archive', 'a', 'a-a', 'a_a', 'a-a-a', 'b', 'b-1', 'main', 'main-dr'),
  fc.stringMatching(/^[a-z]{1,2}([-_][a-z0-9]{1,2}){0,2}$/),
);

const shape: fc.Arbitrary<Shape> = fc.record({ sectionArray: fc.boolean(), typeArray: fc.boolean(), bodyArray: fc.boolean(), blockArray: fc.boolean(), comments: fc.boolean() });

function render(resources: readonly Res[], names: readonly string[], s: Shape): object {
  const ofType = (t: Type) => resources.map((r, i) => ({ r, i })).filter((x) => x.r.type === t);
  const nameOf = (t: Type, i: number): string | undefined => {
    const list = ofType(t);
    return list.length ? names[list[i % list.length].i] : undefined;
  };
  const value = (x: V): unknown => {
    if ('lit' in x) return x.lit;
    if ('v' in x) return `\${var.${x.v}}`;
    const n = nameOf(x.ref, x.i);
    if (n === undefined) return `\${var.missing_${x.ref}}`;
    const target = resources[ofType(x.ref)[x.i % ofType(x.ref).length].i];
    const idx = x.index === 'splat' ? '[*]' : x.index === 'zero' || target.expand ? (target.expand && 'forEach' in target.expand ? `["${target.expand.forEach[0]}"]` : '[0]') : '';
    const expr = `${x.ref}.${n}${idx}.${x.attr}`;
    return x.wrap === 'tostring' ? `\${tostring(${expr})}` : x.wrap === 'prefix' ? `table/\${${expr}}` : `\${${expr}}`;
  };
  const block = (b: unknown): unknown => {
    if (typeof b !== 'object' || b === null || 'lit' in b || 'v' in b || 'ref' in b) return value(b as V);
    const out = Object.fromEntries(Object.entries(b).map(([k, x]) => [k, block(x)]));
    return s.blockArray ? [out] : out;
  };
  const bodies: Record<string, Record<string, unknown>> = {};
  resources.forEach((r, i) => {
    const body: Record<string, unknown> = {};
    if (s.comments) body['//'] = { metadata: { path: `stack/${r.type}/${i}` } };
    for (const [k, x] of Object.entries(r.body)) body[k] = k === 'tags' ? Object.fromEntries(Object.entries(x as Record<string, V>).map(([t, y]) => [t, value(y as V)])) : block(x);
    if (r.expand && 'count' in r.expand) body.count = r.expand.count;
    if (r.expand && 'forEach' in r.expand) body.for_each = Object.fromEntries(r.expand.forEach.map((k) => [k, k]));
    (bodies[r.type] ??= {})[names[i]] = s.bodyArray ? [body] : body;
  });
  const types = Object.entries(bodies).map(([t, byName]) => ({ [t]: s.typeArray ? Object.entries(byName).map(([n, b]) => ({ [n]: b })) : byName }));
  const section = s.sectionArray ? types : Object.assign({}, ...types);
  return {
    ...(s.comments ? { '//': 'generated' } : {}),
    provider: s.sectionArray ? [{ aws: [{ region: 'us-east-1' }, { alias: 'dr', region: 'us-west-2' }] }] : { aws: [{ region: 'us-east-1' }, { alias: 'dr', region: 'us-west-2' }] },
    resource: s.comments && !s.sectionArray ? { '//': 'resources', ...section } : section,
  };
}

const input = resources
  .chain((resources) =>
    fc.record({
      resources: fc.constant(resources),
      names: fc.uniqueArray(NAME, { minLength: resources.length, maxLength: resources.length }),
      renamed: fc.uniqueArray(NAME, { minLength: resources.length, maxLength: resources.length }),
      shape,
    }),
  );

/** Verdicts by rule and resource, with the resource named by its position in the model. */
function verdicts(tf: object, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const position = (id: string) => {
    const m = /^([a-z0-9_]+)\.([^.[]+)(\[.*\])?$/.exec(id);
    return m ? `${m[1]}.#${names.indexOf(m[2])}${m[3] ?? ''}` : id;
  };
  for (const f of runCheck({ terraform: tf }).compliance.findings) out[`${f.ruleId} ${position(f.resource.id)}`] = f.status;
  return out;
}

describe('check on random Terraform JSON', () => {
  it('generates inputs the rules judge every way', () => {
    const statuses = new Set<string>();
    fc.assert(fc.property(input, ({ resources, names, shape: s }) => {
      for (const f of runCheck({ terraform: render(resources, names, s) }).compliance.findings) statuses.add(f.status);
    }), { numRuns: 40, seed: 14 });
    expect([...statuses].sort()).toEqual(['compliant', 'non-compliant', 'not-applicable', 'unknown']);
  });

  it('never throws, gives the same report twice, and a renaming never changes a verdict', () => {
    fc.assert(
      fc.property(input, ({ resources, names, renamed, shape: s }) => {
        const tf = render(resources, names, s);
        const first = runCheck({ terraform: tf });
        const again = runCheck({ terraform: JSON.parse(JSON.stringify(tf)) });
        expect(JSON.stringify(again.compliance.findings)).toBe(JSON.stringify(first.compliance.findings));
        expect(verdicts(render(resources, renamed, s), renamed)).toEqual(verdicts(tf, names));
      }),
      { numRuns: 150 },
    );
  });
});
