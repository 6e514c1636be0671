import { TablesafeError } from '../../core/errors';

/** The TablesafeError `fn` throws; fails the test when it throws nothing or another error. */
export function thrownTablesafeError(fn: () => unknown): TablesafeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TablesafeError) return e;
    throw e;
  }
  throw new Error('expected a TablesafeError');
}
