import { startTsWorker } from '../../lib/ts-worker.ts';
import type { TrainWorkerInput, TrainWorkerMessage, TrainWorkerResult } from './train-worker.ts';

/** Training refused by the pipeline for a reason the user can fix (too few rows, constant target, bad hyperparameter). */
export class TrainingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainingError';
  }
}

/** Runs training in a worker thread; rejects with TrainingError when the pipeline refuses the input. */
export function trainInWorker<K extends TrainWorkerInput['kind']>(
  input: Extract<TrainWorkerInput, { kind: K }>,
  onProgress?: (fraction: number, message: string) => void,
): Promise<Extract<TrainWorkerResult, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const worker = startTsWorker(new URL('./train-worker.ts', import.meta.url), { workerData: input });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (message: TrainWorkerMessage) => {
      if (message.type === 'progress') onProgress?.(message.fraction, message.message);
      else if (message.type === 'done') settle(() => resolve(message.result as Extract<TrainWorkerResult, { kind: K }>));
      else settle(() => reject(new TrainingError(message.message)));
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`training worker exited with code ${code}`))));
  });
}
