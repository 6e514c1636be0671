/**
 * The capability matrix for synchronous callers: synthesis hooks and `tablesafe check` run
 * synchronously, and the IAM policy simulator answers asynchronously, so the matrix is computed on
 * one worker thread (matrix-child.ts), started on first use, while the caller waits on a shared
 * flag; results are memoized per input. The simulator is looked up first: without it the matrix is
 * `unavailable` (never a pass) and no thread is started.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { FactSet } from '../facts/types';
import { CapabilityMatrix, failedMatrix, MatrixOptions, unavailableMatrix } from './matrix';
import { IAM_SIMULATOR_PACKAGE } from './simulator';

const memo = new Map<string, CapabilityMatrix>();
let worker: Worker | undefined;
/** Longest wait for one matrix (a full stack takes a few seconds). */
const TIMEOUT_MS = 120_000;

/** Whether the simulator package can be resolved from here (without loading it). */
export function simulatorInstalled(): boolean {
  try {
    // A variable keeps bundlers from treating the optional package as a dependency.
    const name: string = IAM_SIMULATOR_PACKAGE;
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

/** Whether a Terraform JSON configuration holds a tablesafe role (tag `tablesafe:role`): only those have a matrix. */
export function hasPlatformRoles(tfJson: unknown): boolean {
  const roles = (tfJson as { resource?: { aws_iam_role?: unknown } })?.resource?.aws_iam_role;
  if (!roles || typeof roles !== 'object') return false;
  return Object.values(roles as Record<string, unknown>).some((r) => {
    const tags = (r as { tags?: unknown })?.tags;
    return !!tags && typeof tags === 'object' && typeof (tags as Record<string, unknown>)['tablesafe:role'] === 'string';
  });
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.typescript) require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
const { computeMatrix } = require(workerData.module);
parentPort.on('message', async ({ input, flag, port }) => {
  let result;
  try { result = await computeMatrix(input); } catch (e) { result = { schema: 'tablesafe.iam-matrix/1', status: 'failed', code: 'TS_E_IAM_SIMULATION', message: String(e && e.message || e) }; }
  port.postMessage(result);
  port.close();
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

function startWorker(): Worker {
  const typescript = __filename.endsWith('.ts');
  const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { typescript, module: path.join(__dirname, `matrix-child${typescript ? '.ts' : '.js'}`) } });
  // The thread must never keep a process alive.
  w.unref();
  w.on('error', () => {
    worker = undefined;
  });
  return w;
}

/** The stack's capability matrix, computed synchronously. */
export function capabilityMatrixSync(tfJson: unknown, options: MatrixOptions = {}): CapabilityMatrix {
  if (!simulatorInstalled()) return unavailableMatrix(`the IAM policy simulator (${IAM_SIMULATOR_PACKAGE}) is not installed; tablesafe does not ship it (AGPL-3.0)`);
  const input = { tfJson, options };
  const key = createHash('sha256').update(JSON.stringify(input)).digest('hex');
  const hit = memo.get(key);
  if (hit) return hit;
  worker ??= startWorker();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  worker.postMessage({ input, flag, port: port2 }, [port2]);
  const waited = Atomics.wait(flag, 0, 0, TIMEOUT_MS);
  const message = receiveMessageOnPort(port1);
  port1.close();
  const result: CapabilityMatrix = message?.message ?? failedMatrix('TS_E_IAM_SIMULATION', waited === 'timed-out' ? `the IAM policy simulation took longer than ${TIMEOUT_MS / 1000} s` : 'the IAM policy simulation returned nothing');
  memo.set(key, result);
  return result;
}

/**
 * `facts` with the capability matrix of the same Terraform JSON configuration attached (TS-IAM-005
 * reads it), when the configuration holds platform roles; `facts` unchanged otherwise.
 */
export function withIamMatrix<F extends FactSet>(facts: F, tfJson: unknown, options: MatrixOptions = {}): F {
  return hasPlatformRoles(tfJson) ? { ...facts, iamMatrix: capabilityMatrixSync(tfJson, options) } : facts;
}
