export * from './evidence-store';
