import { describe, expect, it } from 'vitest';
import { declareJobKind, handleJobKind, jobHandler, registerJobKinds } from '../../../src/core/jobs/registry.js';
import { registerModuleJobKinds } from '../../../src/job-kinds.js';

describe('job kind registry', () => {
  it('registers every module’s kinds at start', () => {
    registerModuleJobKinds();
    for (const kind of ['WORKFLOW', 'RETAG', 'IMPORT', 'DELETE_IMPORT', 'EXPORT']) expect(jobHandler(kind), kind).toBeTypeOf('function');
  });

  it('fails at start when a declared kind has no handler', () => {
    const forgotten = declareJobKind<{ n: number }>('FORGOTTEN_KIND');
    expect(() => registerModuleJobKinds()).toThrow('job kinds without a handler: FORGOTTEN_KIND');
    registerJobKinds([handleJobKind(forgotten, async () => {})]);
    expect(() => registerModuleJobKinds()).not.toThrow();
  });

  it('refuses a second declaration, a second handler and an undeclared kind', () => {
    const kind = declareJobKind('TWICE');
    expect(() => declareJobKind('TWICE')).toThrow('declared twice');
    registerJobKinds([handleJobKind(kind, async () => {})]);
    expect(() => registerJobKinds([handleJobKind(kind, async () => {})])).toThrow('has two handlers');
    expect(() => registerJobKinds([handleJobKind({ name: 'TWICE' }, async () => {})])).toThrow('was not declared');
    expect(() => declareJobKind('lower_case')).toThrow('UPPER_SNAKE_CASE');
  });
});
