/**
 * `tablesafe/stacks`: PlatformStack (one environment of the platform from a typed PlatformConfig,
 * writing the contract `tablesafe verify` proves), the example environments, the state backend and
 * the AWS provider settings read from TABLESAFE_* variables.
 */
export * from './config';
export * from './platform-stack';
export * from './backend';
export * from './provider';
