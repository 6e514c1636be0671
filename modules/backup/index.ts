export * from './vault';
export * from './plan';
export * from './selection';
export * from './region-settings';
