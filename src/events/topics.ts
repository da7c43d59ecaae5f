/** Every topic the server publishes, in one place. Payloads carry ids only. */
export const topics = {
  /** `{ id }` on every change of one job (status, progress, cancel request); `stop: true` tells its worker to check its lease and cancel flag */
  job: (jobId: string) => `job:${jobId}`,
  /** `{ jobId }` when log lines were appended to a job */
  jobLogs: (jobId: string) => `job-logs:${jobId}`,
  /** `{ id }` on every change of any job of the workspace (list views) */
  workspaceJobs: (workspaceId: string) => `jobs:${workspaceId}`,
  /** `{ workspaceId, userId? }` when credentials of a workspace (or of one member) were revoked or lost scopes: every process drops them from its credential cache */
  credentials: 'credentials',
};
