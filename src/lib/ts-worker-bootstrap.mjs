// Worker threads do not inherit the tsx loader on Node 20, so each TypeScript worker starts here:
// register tsx inside the worker, then import the real entry module named in workerData.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.__entry);
