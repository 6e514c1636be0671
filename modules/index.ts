export * from './kms';
export * from './table';
export * from './backup';
export * from './iam';
export * from './audit-trail';
export { ValidationError } from './common/validation';
export * from './compliance';
