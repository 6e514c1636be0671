export * from './kms';
export * from './table';
export * from './backup';
export * from './iam';
export * from './audit-trail';
export { INVALID_INPUT, invalidInput, isTablesafeError, TablesafeError } from '../core/errors';
