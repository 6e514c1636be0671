import { Construct } from 'constructs';
import { TerraformProvider } from 'cdktf';
import { BackupSelection as CfnBackupSelection } from '@cdktf/provider-aws/lib/backup-selection';
import { check } from '../common/validation';
import { BackupPlan } from './plan';

export interface TagCondition {
  readonly key: string;
  readonly value: string;
}

export interface BackupSelectionProps {
  readonly selectionName: string;
  readonly plan: BackupPlan;
  /** Role AWS Backup assumes to take the backups (the backup service role). */
  readonly roleArn: string;
  /** Resource ARNs to back up. @default none (then `tags` must select something) */
  readonly resources?: readonly string[];
  /** Select every resource carrying one of these tags. @default none */
  readonly tags?: readonly TagCondition[];
  /** @default the stack's default provider */
  readonly provider?: TerraformProvider;
}

const SELECTION_NAME = /^[a-zA-Z0-9_.-]{1,50}$/;

/** Assigns resources to a backup plan by ARN and/or tag. */
export class BackupSelection extends Construct {
  readonly selection: CfnBackupSelection;
  readonly selectionName: string;
  readonly selectionId: string;

  constructor(scope: Construct, id: string, props: BackupSelectionProps) {
    super(scope, id);
    check(SELECTION_NAME.test(props.selectionName), 'BackupSelection.selectionName', props.selectionName, 'must be 1-50 characters of [a-zA-Z0-9_.-]');
    const resources = props.resources ?? [];
    const tags = props.tags ?? [];
    check(resources.length + tags.length > 0, 'BackupSelection.resources', resources, 'a selection needs resources or tags to select');
    tags.forEach((t, i) => check(t.key.length > 0, `BackupSelection.tags[${i}].key`, t.key, 'must not be empty'));
    this.selectionName = props.selectionName;
    this.selection = new CfnBackupSelection(this, 'selection', {
      provider: props.provider,
      name: props.selectionName,
      planId: props.plan.planId,
      iamRoleArn: props.roleArn,
      resources: resources.length ? [...resources] : undefined,
      selectionTag: tags.map((t) => ({ type: 'STRINGEQUALS', key: t.key, value: t.value })),
    });
    this.selectionId = this.selection.id;
  }
}
