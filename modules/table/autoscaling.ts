import { Construct } from 'constructs';
import { TerraformProvider } from 'cdktf';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { check, checkPositiveInteger } from '../common/validation';

/** Target-tracking autoscaling bounds for a provisioned table and each of its GSIs. */
export interface CapacityAutoscaling {
  readonly minRead: number;
  readonly maxRead: number;
  readonly minWrite: number;
  readonly maxWrite: number;
  /**
   * Consumed/provisioned ratio the policy keeps capacity at, in percent (20-90).
   * @default 70
   */
  readonly targetUtilizationPercent?: number;
}

/** Autoscaling bounds with every default applied. */
export type ResolvedAutoscaling = Required<CapacityAutoscaling>;

/** Applies the defaults of `CapacityAutoscaling` (target utilization 70%). */
export function resolveAutoscaling(a: CapacityAutoscaling): ResolvedAutoscaling {
  return { ...a, targetUtilizationPercent: a.targetUtilizationPercent ?? 70 };
}

export function validateAutoscaling(field: string, a: CapacityAutoscaling): void {
  for (const k of ['minRead', 'maxRead', 'minWrite', 'maxWrite'] as const) checkPositiveInteger(`${field}.${k}`, a[k]);
  check(a.minRead <= a.maxRead, `${field}.minRead`, a.minRead, `must not exceed maxRead (${a.maxRead})`);
  check(a.minWrite <= a.maxWrite, `${field}.minWrite`, a.minWrite, `must not exceed maxWrite (${a.maxWrite})`);
  if (a.targetUtilizationPercent !== undefined) {
    checkPositiveInteger(`${field}.targetUtilizationPercent`, a.targetUtilizationPercent, { min: 20, max: 90 });
  }
}

export interface AutoscalingProps {
  readonly table: DynamodbTable;
  readonly tableName: string;
  readonly indexNames: readonly string[];
  readonly scaling: CapacityAutoscaling;
  readonly provider?: TerraformProvider;
}

type Dimension = 'Read' | 'Write';

/** Application Auto Scaling targets + target-tracking policies for the table and every GSI. */
export class Autoscaling extends Construct {
  readonly targets: AppautoscalingTarget[] = [];
  readonly policies: AppautoscalingPolicy[] = [];

  constructor(scope: Construct, id: string, props: AutoscalingProps) {
    super(scope, id);
    const resources: { id: string; resourceId: string; kind: 'table' | 'index' }[] = [
      { id: 'table', resourceId: `table/${props.tableName}`, kind: 'table' },
      ...props.indexNames.map((n) => ({ id: `index-${n}`, resourceId: `table/${props.tableName}/index/${n}`, kind: 'index' as const })),
    ];
    const target = resolveAutoscaling(props.scaling).targetUtilizationPercent;
    for (const r of resources) {
      for (const dim of ['Read', 'Write'] as Dimension[]) {
        const t = new AppautoscalingTarget(this, `${r.id}-${dim.toLowerCase()}-target`, {
          provider: props.provider,
          serviceNamespace: 'dynamodb',
          resourceId: r.resourceId,
          scalableDimension: `dynamodb:${r.kind}:${dim}CapacityUnits`,
          minCapacity: dim === 'Read' ? props.scaling.minRead : props.scaling.minWrite,
          maxCapacity: dim === 'Read' ? props.scaling.maxRead : props.scaling.maxWrite,
          dependsOn: [props.table],
        });
        const p = new AppautoscalingPolicy(this, `${r.id}-${dim.toLowerCase()}-policy`, {
          provider: props.provider,
          name: `${r.resourceId.replace(/\//g, '-')}-${dim.toLowerCase()}-utilization`,
          policyType: 'TargetTrackingScaling',
          serviceNamespace: t.serviceNamespace,
          resourceId: t.resourceId,
          scalableDimension: t.scalableDimension,
          targetTrackingScalingPolicyConfiguration: {
            targetValue: target,
            predefinedMetricSpecification: { predefinedMetricType: `DynamoDB${dim}CapacityUtilization` },
          },
        });
        this.targets.push(t);
        this.policies.push(p);
      }
    }
  }
}
