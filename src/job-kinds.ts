import { assertEveryJobKindHandled, registerJobKinds } from './core/jobs/registry.js';
import { exportJobKinds } from './modules/exports/export.job.js';
import { feedbackJobKinds } from './modules/feedback/retag.job.js';
import { importJobKinds } from './modules/imports/import.job.js';
import { workflowJobKinds } from './modules/workflows/workflow.job.js';

/**
 * Every module's job kinds. Each process that runs or enqueues jobs (server, worker, CLI) calls
 * this at start; it fails there when a declared kind has no handler.
 */
export function registerModuleJobKinds(): void {
  registerJobKinds([...workflowJobKinds, ...feedbackJobKinds, ...importJobKinds, ...exportJobKinds]);
  assertEveryJobKindHandled();
}
