export * from './kms';
export * from './table';
export * from './backup';
export * from './iam';
export * from './audit-trail';
export { ValidationError } from './common/validation';
export * from './compliance';
export { awsEnvironment, partitionOf, ACCOUNT_ID_CONTEXT, type AwsEnvironment } from './common/environment';
