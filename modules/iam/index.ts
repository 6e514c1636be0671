export * from './perms';
export * from './policy';
export * from './role';
export * from './roles';
export * from './trust';
