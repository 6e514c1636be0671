import { invalidValue } from '../errors';
import { optBoolMap } from '../input';
import type { BackupState, RegionSettings } from '../state';
import type { Handler } from '../context';

/** Resource types AWS Backup knows, with the opt-in defaults a new account sees. */
const OPT_IN_DEFAULTS: Record<string, boolean> = {
  Aurora: true, CloudFormation: false, DocumentDB: true, DSQL: false, DynamoDB: true, EBS: true, EC2: true, EFS: true,
  FSx: true, Neptune: true, RDS: true, Redshift: false, 'Redshift Serverless': false, S3: false, SAP_HANA_ON_AMAZON_EC2: false,
  Storage_Gateway: true, Timestream: false, VirtualMachine: true,
};
const MANAGEMENT_DEFAULTS: Record<string, boolean> = { DynamoDB: false, EFS: true };

export function regionSettings(state: BackupState, region: string): RegionSettings {
  return (
    state.regionSettings[region] ?? {
      ResourceTypeOptInPreference: { ...OPT_IN_DEFAULTS },
      ResourceTypeManagementPreference: { ...MANAGEMENT_DEFAULTS },
    }
  );
}

export const describeRegionSettings: Handler = (ctx, { state }) => {
  const s = regionSettings(state, ctx.region);
  return { body: { ResourceTypeOptInPreference: s.ResourceTypeOptInPreference, ResourceTypeManagementPreference: s.ResourceTypeManagementPreference } };
};

export const updateRegionSettings: Handler = (ctx, { state }) => {
  const optIn = optBoolMap(ctx.body, 'ResourceTypeOptInPreference');
  const management = optBoolMap(ctx.body, 'ResourceTypeManagementPreference');
  for (const key of Object.keys(optIn ?? {})) {
    if (!(key in OPT_IN_DEFAULTS)) throw invalidValue(`Invalid value for ResourceTypeOptInPreference: unknown resource type ${JSON.stringify(key)}`);
  }
  for (const key of Object.keys(management ?? {})) {
    if (!(key in MANAGEMENT_DEFAULTS)) {
      throw invalidValue(`Invalid value for ResourceTypeManagementPreference: ${JSON.stringify(key)} is not DynamoDB or EFS`);
    }
  }
  const current = regionSettings(state, ctx.region);
  state.regionSettings[ctx.region] = {
    ResourceTypeOptInPreference: { ...current.ResourceTypeOptInPreference, ...optIn },
    ResourceTypeManagementPreference: { ...current.ResourceTypeManagementPreference, ...management },
  };
  return { mutated: true };
};
