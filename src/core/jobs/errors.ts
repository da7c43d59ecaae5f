/** Why a running job's signal was aborted. */
export class JobCancelled extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'JobCancelled';
  }
}

export class JobTimedOut extends Error {
  constructor(readonly seconds: number) {
    super(`Timed out after ${seconds} seconds`);
    this.name = 'JobTimedOut';
  }
}

/** Another worker (or the lease sweeper, or an external runner) owns the job now. */
export class LeaseLost extends Error {
  constructor() {
    super('Lease lost');
    this.name = 'LeaseLost';
  }
}

/** This worker is shutting down: the job goes back to the queue. */
export class WorkerStopping extends Error {
  constructor() {
    super('Worker stopping');
    this.name = 'WorkerStopping';
  }
}

/** A failure attributed to one step of the job (a workflow task): recorded as `error.task`. */
export class TaskFailed extends Error {
  constructor(
    message: string,
    readonly task: string,
  ) {
    super(message);
    this.name = 'TaskFailed';
  }
}
