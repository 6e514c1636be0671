/**
 * The capability matrix for synchronous callers, computed on a worker thread: `computeMatrix`
 * answers one `{ tfJson, options }` request; matrix-sync.ts starts the worker and waits for it.
 */
import { isTablesafeError } from '../../core/errors';
import { capabilityMatrixOf, CapabilityMatrix, failedMatrix, MatrixOptions, unavailableMatrix } from './matrix';
import { IAM_SIMULATOR_MISSING, IamSimulator, loadIamSimulator } from './simulator';

let simulator: Promise<IamSimulator> | undefined;

/** The matrix, `unavailable` without the simulator, `failed` when a document cannot be evaluated as written. */
export async function computeMatrix(input: { tfJson: unknown; options?: MatrixOptions }): Promise<CapabilityMatrix> {
  try {
    simulator ??= loadIamSimulator();
    return await capabilityMatrixOf(await simulator, input.tfJson, input.options ?? {});
  } catch (e) {
    if (isTablesafeError(e) && e.code === IAM_SIMULATOR_MISSING) return unavailableMatrix(e.message);
    if (isTablesafeError(e)) return failedMatrix(e.code, e.message, e.remedy);
    return failedMatrix('TS_E_IAM_SIMULATION', `the simulation stopped: ${(e as Error).message}`);
  }
}
