import { Construct } from 'constructs';
import { TerraformProvider } from 'cdktf';
import { DynamodbTable, DynamodbTableConfig } from '@cdktf/provider-aws/lib/dynamodb-table';
import { EncryptionKey } from '../kms/encryption-key';
import { Role } from '../iam/role';
import { DDB_READ_DATA_ACTIONS, DDB_STREAM_READ_ACTIONS, DDB_WRITE_DATA_ACTIONS, KMS_DECRYPT_ACTIONS, KMS_ENCRYPT_ACTIONS } from '../iam/perms';
import { check, checkPositiveInteger } from '../common/validation';
import { Autoscaling, CapacityAutoscaling, ResolvedAutoscaling, resolveAutoscaling, validateAutoscaling } from './autoscaling';

export type AttributeType = 'S' | 'N' | 'B';
export type ProjectionType = 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
export type TableClass = 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS';

export interface Attribute {
  readonly name: string;
  readonly type: AttributeType;
}

export interface SecondaryIndexProps {
  readonly indexName: string;
  /** GSIs only; an LSI always shares the table's partition key. */
  readonly partitionKey?: Attribute;
  readonly sortKey?: Attribute;
  /** @default 'ALL' */
  readonly projectionType?: ProjectionType;
  /** Required with projection INCLUDE. @default none */
  readonly nonKeyAttributes?: readonly string[];
  /** GSI capacity on a provisioned table. @default the table's capacity */
  readonly capacity?: ProvisionedCapacity;
}

export interface ProvisionedCapacity {
  readonly read: number;
  readonly write: number;
}

/** On-demand, or provisioned capacity with optional target-tracking autoscaling. */
export type Billing =
  | { readonly mode: 'PAY_PER_REQUEST' }
  | { readonly mode: 'PROVISIONED'; readonly capacity: ProvisionedCapacity; readonly autoscaling?: CapacityAutoscaling };

export const Billing = {
  onDemand: (): Billing => ({ mode: 'PAY_PER_REQUEST' }),
  provisioned: (capacity: ProvisionedCapacity, autoscaling?: CapacityAutoscaling): Billing => ({ mode: 'PROVISIONED', capacity, autoscaling }),
};

export interface ReplicaProps {
  readonly region: string;
  /** The replica's own regional key. */
  readonly encryptionKey: EncryptionKey;
  /** @default true */
  readonly pointInTimeRecovery?: boolean;
}

export interface TableProps {
  readonly tableName: string;
  /** Literal region of the table (replicas must be elsewhere). */
  readonly region: string;
  readonly partitionKey: Attribute;
  /** @default no sort key */
  readonly sortKey?: Attribute;
  /** Customer-managed key for SSE. Required: tables are never left on the AWS owned key. */
  readonly encryptionKey: EncryptionKey;
  /** @default none */
  readonly globalSecondaryIndexes?: readonly SecondaryIndexProps[];
  /** @default none */
  readonly localSecondaryIndexes?: readonly SecondaryIndexProps[];
  /** @default Billing.onDemand() */
  readonly billing?: Billing;
  /** Attribute holding the expiry epoch seconds. @default TTL off */
  readonly timeToLiveAttribute?: string;
  /** @default streams off */
  readonly stream?: StreamViewType;
  /** @default 'STANDARD' */
  readonly tableClass?: TableClass;
  /** @default true */
  readonly pointInTimeRecovery?: boolean;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** Global table replicas (streams NEW_AND_OLD_IMAGES are enabled for them). @default none */
  readonly replicas?: readonly ReplicaProps[];
  /** @default the stack's default provider */
  readonly provider?: TerraformProvider;
  /** @default no tags */
  readonly tags?: Readonly<Record<string, string>>;
}

/** A secondary index as the table resolved it: defaults applied, an LSI's partition key filled in. */
export interface ResolvedSecondaryIndex {
  readonly indexName: string;
  /** A GSI's own partition key; for an LSI, the table's. */
  readonly partitionKey: Attribute;
  readonly sortKey?: Attribute;
  readonly projectionType: ProjectionType;
  readonly nonKeyAttributes?: readonly string[];
  /** GSIs of provisioned tables only: the index's own capacity, else the table's. */
  readonly capacity?: ProvisionedCapacity;
}

/** Billing with every default applied. */
export type ResolvedBilling =
  | { readonly mode: 'PAY_PER_REQUEST' }
  | { readonly mode: 'PROVISIONED'; readonly capacity: ProvisionedCapacity; readonly autoscaling?: ResolvedAutoscaling };

/** A table's settings after defaults: what Terraform is given, and what a contract states. */
export interface ResolvedTableProps {
  readonly tableName: string;
  readonly region: string;
  readonly partitionKey: Attribute;
  readonly sortKey?: Attribute;
  readonly globalSecondaryIndexes: readonly ResolvedSecondaryIndex[];
  readonly localSecondaryIndexes: readonly ResolvedSecondaryIndex[];
  readonly billing: ResolvedBilling;
  /** Undefined when TTL is off. */
  readonly timeToLiveAttribute?: string;
  /** Undefined when streams are off; replicas turn them on with NEW_AND_OLD_IMAGES. */
  readonly stream?: StreamViewType;
  readonly tableClass: TableClass;
  readonly pointInTimeRecovery: boolean;
  readonly deletionProtection: boolean;
  readonly replicaRegions: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
const INDEX_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
const MAX_GSIS = 20;
const MAX_LSIS = 5;

/**
 * A DynamoDB table with secure defaults: SSE with our customer-managed key, point-in-time
 * recovery and deletion protection on.
 */
export class Table extends Construct {
  readonly table: DynamodbTable;
  readonly tableName: string;
  readonly tableArn: string;
  readonly streamArn: string;
  readonly encryptionKey: EncryptionKey;
  readonly props: TableProps;
  /** The settings after defaults (every `@default` of TableProps applied). */
  readonly resolved: ResolvedTableProps;
  readonly billing: Billing;
  readonly autoscaling?: Autoscaling;

  constructor(scope: Construct, id: string, props: TableProps) {
    super(scope, id);
    validateTableProps(props);
    this.props = props;
    const r = resolveTableProps(props);
    this.resolved = r;
    this.billing = r.billing;
    this.encryptionKey = props.encryptionKey;
    this.tableName = r.tableName;

    const provisioned = r.billing.mode === 'PROVISIONED' ? r.billing : undefined;
    const config: DynamodbTableConfig = {
      provider: props.provider,
      name: r.tableName,
      hashKey: r.partitionKey.name,
      rangeKey: r.sortKey?.name,
      attribute: attributeDefinitions(props),
      billingMode: r.billing.mode,
      readCapacity: provisioned?.capacity.read,
      writeCapacity: provisioned?.capacity.write,
      globalSecondaryIndex: r.globalSecondaryIndexes.map((gsi) => ({
        name: gsi.indexName,
        hashKey: gsi.partitionKey.name,
        rangeKey: gsi.sortKey?.name,
        projectionType: gsi.projectionType,
        nonKeyAttributes: gsi.nonKeyAttributes ? [...gsi.nonKeyAttributes] : undefined,
        readCapacity: gsi.capacity?.read,
        writeCapacity: gsi.capacity?.write,
      })),
      localSecondaryIndex: r.localSecondaryIndexes.map((lsi) => ({
        name: lsi.indexName,
        rangeKey: lsi.sortKey!.name,
        projectionType: lsi.projectionType,
        nonKeyAttributes: lsi.nonKeyAttributes ? [...lsi.nonKeyAttributes] : undefined,
      })),
      ttl: r.timeToLiveAttribute ? { enabled: true, attributeName: r.timeToLiveAttribute } : undefined,
      streamEnabled: r.stream !== undefined,
      streamViewType: r.stream,
      tableClass: r.tableClass,
      pointInTimeRecovery: { enabled: r.pointInTimeRecovery },
      deletionProtectionEnabled: r.deletionProtection,
      serverSideEncryption: { enabled: true, kmsKeyArn: props.encryptionKey.keyArn },
      replica: (props.replicas ?? []).map((replica) => ({
        regionName: replica.region,
        kmsKeyArn: replica.encryptionKey.keyArn,
        pointInTimeRecovery: replica.pointInTimeRecovery ?? true,
        propagateTags: true,
      })),
      tags: props.tags ? { ...r.tags } : undefined,
      // Autoscaling owns live capacity; Terraform must not fight it on every plan.
      lifecycle: provisioned?.autoscaling ? { ignoreChanges: ['read_capacity', 'write_capacity'] } : undefined,
    };
    this.table = new DynamodbTable(this, 'table', config);
    this.tableArn = this.table.arn;
    this.streamArn = this.table.streamArn;

    if (provisioned?.autoscaling) {
      this.autoscaling = new Autoscaling(this, 'autoscaling', {
        table: this.table,
        tableName: r.tableName,
        indexNames: r.globalSecondaryIndexes.map((g) => g.indexName),
        scaling: provisioned.autoscaling,
        provider: props.provider,
      });
    }
  }

  /** ARNs a data grant covers: the table and all of its indexes. */
  get dataResourceArns(): string[] {
    return [this.tableArn, `${this.tableArn}/index/*`];
  }

  /** Read items (GetItem, Query, Scan, and the stream when there is one) and decrypt them. */
  grantReadData(role: Role): void {
    role.addPolicy(`${this.tableName}-read-data`, ...this.dataStatements('ReadData', DDB_READ_DATA_ACTIONS, KMS_DECRYPT_ACTIONS), ...this.streamStatements('ReadData'));
  }

  /** Write items (Put, Update, Delete, BatchWrite) and encrypt them. */
  grantWriteData(role: Role): void {
    role.addPolicy(`${this.tableName}-write-data`, ...this.dataStatements('WriteData', DDB_WRITE_DATA_ACTIONS, [...KMS_ENCRYPT_ACTIONS, ...KMS_DECRYPT_ACTIONS]));
  }

  /** Both of the above as one policy. */
  grantReadWriteData(role: Role): void {
    const actions = [...new Set([...DDB_READ_DATA_ACTIONS, ...DDB_WRITE_DATA_ACTIONS])];
    role.addPolicy(`${this.tableName}-read-write-data`, ...this.dataStatements('ReadWriteData', actions, [...KMS_ENCRYPT_ACTIONS, ...KMS_DECRYPT_ACTIONS]), ...this.streamStatements('ReadWriteData'));
  }

  /** Stream reads are authorized on the stream ARN; a table without a stream grants none. */
  private streamStatements(sid: string) {
    if (this.resolved.stream === undefined) return [];
    return [{ Sid: `${sid}Stream`, Effect: 'Allow' as const, Action: [...DDB_STREAM_READ_ACTIONS], Resource: [`${this.tableArn}/stream/*`] }];
  }

  private dataStatements(sid: string, actions: readonly string[], kmsActions: readonly string[]) {
    const keys = [this.encryptionKey, ...(this.props.replicas ?? []).map((r) => r.encryptionKey)];
    return [
      { Sid: `${sid}Table`, Effect: 'Allow' as const, Action: [...actions], Resource: this.dataResourceArns },
      { Sid: `${sid}Key`, Effect: 'Allow' as const, Action: [...kmsActions], Resource: keys.map((k) => k.keyArn) },
    ];
  }
}

/** Applies every default of TableProps; the one place they live. */
function resolveTableProps(props: TableProps): ResolvedTableProps {
  const billing = props.billing ?? Billing.onDemand();
  const provisioned = billing.mode === 'PROVISIONED' ? billing : undefined;
  const replicaRegions = (props.replicas ?? []).map((r) => r.region);
  const index = (i: SecondaryIndexProps, kind: 'gsi' | 'lsi'): ResolvedSecondaryIndex => ({
    indexName: i.indexName,
    partitionKey: kind === 'lsi' ? props.partitionKey : i.partitionKey!,
    sortKey: i.sortKey,
    projectionType: i.projectionType ?? 'ALL',
    nonKeyAttributes: i.nonKeyAttributes,
    capacity: kind === 'gsi' && provisioned ? (i.capacity ?? provisioned.capacity) : undefined,
  });
  return {
    tableName: props.tableName,
    region: props.region,
    partitionKey: props.partitionKey,
    sortKey: props.sortKey,
    globalSecondaryIndexes: (props.globalSecondaryIndexes ?? []).map((i) => index(i, 'gsi')),
    localSecondaryIndexes: (props.localSecondaryIndexes ?? []).map((i) => index(i, 'lsi')),
    billing: provisioned
      ? { mode: 'PROVISIONED', capacity: provisioned.capacity, autoscaling: provisioned.autoscaling ? resolveAutoscaling(provisioned.autoscaling) : undefined }
      : { mode: 'PAY_PER_REQUEST' },
    timeToLiveAttribute: props.timeToLiveAttribute,
    stream: props.stream ?? (replicaRegions.length > 0 ? 'NEW_AND_OLD_IMAGES' : undefined),
    tableClass: props.tableClass ?? 'STANDARD',
    pointInTimeRecovery: props.pointInTimeRecovery ?? true,
    deletionProtection: props.deletionProtection ?? true,
    replicaRegions,
    tags: { ...(props.tags ?? {}) },
  };
}

function attributeDefinitions(props: TableProps): { name: string; type: string }[] {
  const seen = new Map<string, AttributeType>();
  const add = (a?: Attribute) => {
    if (a) seen.set(a.name, a.type);
  };
  add(props.partitionKey);
  add(props.sortKey);
  for (const i of [...(props.globalSecondaryIndexes ?? []), ...(props.localSecondaryIndexes ?? [])]) {
    add(i.partitionKey);
    add(i.sortKey);
  }
  return [...seen].map(([name, type]) => ({ name, type }));
}

/** Every rule DynamoDB would reject at apply, checked at synth. Exported for the config layer. */
export function validateTableProps(props: TableProps): void {
  check(TABLE_NAME.test(props.tableName), 'Table.tableName', props.tableName, 'must be 3-255 characters of [a-zA-Z0-9_.-]');
  checkAttribute('Table.partitionKey', props.partitionKey);
  if (props.sortKey) {
    checkAttribute('Table.sortKey', props.sortKey);
    check(props.sortKey.name !== props.partitionKey.name, 'Table.sortKey.name', props.sortKey.name, 'must differ from the partition key');
  }
  const types = new Map<string, AttributeType>([[props.partitionKey.name, props.partitionKey.type]]);
  if (props.sortKey) types.set(props.sortKey.name, props.sortKey.type);
  const claim = (field: string, a: Attribute) => {
    checkAttribute(field, a);
    const known = types.get(a.name);
    check(known === undefined || known === a.type, `${field}.type`, a.type, `attribute "${a.name}" is already declared as type ${known}`);
    types.set(a.name, a.type);
  };

  const gsis = props.globalSecondaryIndexes ?? [];
  const lsis = props.localSecondaryIndexes ?? [];
  check(gsis.length <= MAX_GSIS, 'Table.globalSecondaryIndexes', gsis.length, `at most ${MAX_GSIS} global secondary indexes per table`);
  check(lsis.length <= MAX_LSIS, 'Table.localSecondaryIndexes', lsis.length, `at most ${MAX_LSIS} local secondary indexes per table`);
  check(lsis.length === 0 || !!props.sortKey, 'Table.localSecondaryIndexes', lsis.map((l) => l.indexName), 'a local secondary index needs a table with a sort key');
  const names = new Set<string>();
  gsis.forEach((gsi, i) => {
    const field = `Table.globalSecondaryIndexes[${i}]`;
    checkIndex(field, gsi, names);
    check(!!gsi.partitionKey, `${field}.partitionKey`, gsi.partitionKey, 'a global secondary index needs a partition key');
    claim(`${field}.partitionKey`, gsi.partitionKey!);
    if (gsi.sortKey) claim(`${field}.sortKey`, gsi.sortKey);
    if (gsi.capacity) {
      check(props.billing?.mode === 'PROVISIONED', `${field}.capacity`, gsi.capacity, 'index capacity needs a provisioned table');
      checkCapacity(`${field}.capacity`, gsi.capacity);
    }
  });
  lsis.forEach((lsi, i) => {
    const field = `Table.localSecondaryIndexes[${i}]`;
    checkIndex(field, lsi, names);
    check(!lsi.partitionKey || lsi.partitionKey.name === props.partitionKey.name, `${field}.partitionKey`, lsi.partitionKey?.name, `a local secondary index shares the table's partition key "${props.partitionKey.name}"`);
    check(!!lsi.sortKey, `${field}.sortKey`, lsi.sortKey, 'a local secondary index needs a sort key');
    claim(`${field}.sortKey`, lsi.sortKey!);
  });

  const billing = props.billing ?? Billing.onDemand();
  check(billing.mode === 'PAY_PER_REQUEST' || billing.mode === 'PROVISIONED', 'Table.billing.mode', billing.mode, 'must be PAY_PER_REQUEST or PROVISIONED');
  if (billing.mode === 'PROVISIONED') {
    check(!!billing.capacity, 'Table.billing.capacity', billing.capacity, 'provisioned mode needs read and write capacity');
    checkCapacity('Table.billing.capacity', billing.capacity);
    if (billing.autoscaling) validateAutoscaling('Table.billing.autoscaling', billing.autoscaling);
  }

  if (props.timeToLiveAttribute !== undefined) {
    check(/^[^\s]{1,255}$/.test(props.timeToLiveAttribute), 'Table.timeToLiveAttribute', props.timeToLiveAttribute, 'must be 1-255 characters without spaces');
    check(!types.has(props.timeToLiveAttribute), 'Table.timeToLiveAttribute', props.timeToLiveAttribute, 'must not be a key attribute of the table or an index (TTL needs a Number attribute holding epoch seconds)');
  }
  const replicaRegions = new Set<string>();
  (props.replicas ?? []).forEach((r, i) => {
    check(r.region !== props.region, `Table.replicas[${i}].region`, r.region, `a replica must be in another region than the table (${props.region})`);
    check(!replicaRegions.has(r.region), `Table.replicas[${i}].region`, r.region, 'each replica region may appear once');
    check(r.encryptionKey.region === r.region, `Table.replicas[${i}].encryptionKey`, r.encryptionKey.region, `a replica needs a key in its own region (${r.region})`);
    replicaRegions.add(r.region);
  });
  check(
    (props.replicas ?? []).length === 0 || props.stream === undefined || props.stream === 'NEW_AND_OLD_IMAGES',
    'Table.stream',
    props.stream,
    'global table replicas need stream view type NEW_AND_OLD_IMAGES',
  );
}

function checkAttribute(field: string, a: Attribute | undefined): void {
  check(!!a && typeof a.name === 'string' && a.name.length >= 1 && a.name.length <= 255, `${field}.name`, a?.name, 'must be 1-255 characters');
  check(['S', 'N', 'B'].includes(a!.type), `${field}.type`, a!.type, 'key attributes must be of type S, N or B');
}

function checkIndex(field: string, index: SecondaryIndexProps, names: Set<string>): void {
  check(INDEX_NAME.test(index.indexName), `${field}.indexName`, index.indexName, 'must be 3-255 characters of [a-zA-Z0-9_.-]');
  check(!names.has(index.indexName), `${field}.indexName`, index.indexName, 'index names must be unique across GSIs and LSIs');
  names.add(index.indexName);
  const projection = index.projectionType ?? 'ALL';
  check(['ALL', 'KEYS_ONLY', 'INCLUDE'].includes(projection), `${field}.projectionType`, projection, 'must be ALL, KEYS_ONLY or INCLUDE');
  check(
    projection === 'INCLUDE' ? (index.nonKeyAttributes ?? []).length > 0 : index.nonKeyAttributes === undefined,
    `${field}.nonKeyAttributes`,
    index.nonKeyAttributes,
    'non-key attributes are required with projection INCLUDE and allowed only with it',
  );
}

function checkCapacity(field: string, c: ProvisionedCapacity): void {
  checkPositiveInteger(`${field}.read`, c.read);
  checkPositiveInteger(`${field}.write`, c.write);
}
