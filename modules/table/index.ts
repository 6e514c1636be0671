export * from './table';
export * from './autoscaling';
