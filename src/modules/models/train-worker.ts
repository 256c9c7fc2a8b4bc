/**
 * Worker-thread entry: trains (or cross-validates) a model off the event loop. Training a forest with a grouped
 * cross-validation takes seconds to minutes of CPU; the server keeps answering requests meanwhile.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { trainModel, type TrainedModel, type TrainingRow, type TrainOptions } from '../../ml/pipeline.ts';
import { evaluateToxicityModel, type ToxicityEvaluation } from '../../ml/toxicity-evaluation.ts';
import type { ToxicityFit, ToxicityObservation } from '../../science/toxicity-kinetics.ts';

export type TrainWorkerInput =
  | { kind: 'molecules'; rows: TrainingRow[]; options: Omit<TrainOptions, 'onProgress'> }
  | { kind: 'toxicity'; observations: ToxicityObservation[]; options: { seed: number; level: number } };

export type TrainWorkerResult =
  | { kind: 'molecules'; trained: TrainedModel }
  | { kind: 'toxicity'; fit: ToxicityFit; evaluation: ToxicityEvaluation; calibrationScores: number[] };

export type TrainWorkerMessage =
  | { type: 'progress'; fraction: number; message: string }
  | { type: 'done'; result: TrainWorkerResult }
  | { type: 'failed'; message: string };

function run(input: TrainWorkerInput, progress: (fraction: number, message: string) => void): TrainWorkerResult {
  if (input.kind === 'toxicity') {
    progress(0, 'cross-validating the kinetic model');
    return { kind: 'toxicity', ...evaluateToxicityModel(input.observations, input.options) };
  }
  return { kind: 'molecules', trained: trainModel(input.rows, { ...input.options, onProgress: progress }) };
}

const port = parentPort;
if (port) {
  try {
    const result = run(workerData as TrainWorkerInput, (fraction, message) => port.postMessage({ type: 'progress', fraction, message } satisfies TrainWorkerMessage));
    port.postMessage({ type: 'done', result } satisfies TrainWorkerMessage);
  } catch (error) {
    port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies TrainWorkerMessage);
  }
}
