export * from './kms';
export * from './table';
export * from './backup';
export * from './iam';
export * from './audit-trail';
export { INVALID_INPUT, invalidInput, isTablesafeError, TablesafeError } from '../core/errors';
export * from './compliance';
export { awsEnvironment, partitionOf, ACCOUNT_ID_CONTEXT, type AwsEnvironment } from './common/environment';
export * from './evidence-store';
