import { describe, expect, it } from 'vitest';
import { inspectTemplates, substitute } from '../../../src/modules/workflows/templates.js';
import { isAllowedDestination } from '../../../src/modules/workflows/http-allow-list.js';
import { isLegalTransition } from '../../../src/modules/jobs/job.service.js';
import { parameterIssues } from '../../../src/core/jobs/parameters.js';
import { taskIssues } from '../../../src/modules/workflows/workflow.service.js';
import { loadConfig } from '../../../src/config.js';

describe('templates', () => {
  it('substitutes {{params.name}} anywhere in nested parameters', () => {
    const { value, problems } = substitute(
      { url: 'http://h/{{params.id}}?q={{ params.q }}', headers: { 'x-a': '{{params.id}}' }, list: ['{{params.q}}'], n: 3 },
      { params: { id: '42', q: 'a b' } },
    );
    expect(problems).toEqual([]);
    expect(value).toEqual({ url: 'http://h/42?q=a b', headers: { 'x-a': '42' }, list: ['a b'], n: 3 });
  });

  it('reports a missing parameter instead of substituting an empty string', () => {
    const { problems } = substitute({ message: 'hi {{params.who}}' }, { params: {} });
    expect(problems).toEqual([{ path: ['message'], code: 'MISSING_PARAMETER', message: 'No value for {{params.who}}' }]);
  });

  it('finds referenced names and malformed placeholders; {{error.*}} only where allowed', () => {
    const found = inspectTemplates({ a: '{{params.x}} {{params.y}}', b: '{{params.x}}', c: '{{ nope }}', d: '{{error.message}}' });
    expect(found.params).toEqual(['x', 'y']);
    expect(found.templated).toEqual([['a'], ['b'], ['c'], ['d']]);
    expect(found.problems.map((p) => p.path)).toEqual([['c'], ['d']]);
    expect(inspectTemplates({ d: '{{error.message}}' }, true).problems).toEqual([]);
  });
});

describe('http allow-list', () => {
  const allowed = (url: string, list: string[]) => isAllowedDestination(new URL(url), list);
  it('matches hosts, host:port, subdomain wildcards and origins', () => {
    expect(allowed('http://127.0.0.1:8080/x', ['127.0.0.1:8080'])).toBe(true);
    expect(allowed('http://127.0.0.1:8081/x', ['127.0.0.1:8080'])).toBe(false);
    expect(allowed('https://api.example.com/x', ['api.example.com'])).toBe(true);
    expect(allowed('https://a.b.example.com/x', ['*.example.com'])).toBe(true);
    expect(allowed('https://example.com.evil.io/x', ['*.example.com'])).toBe(false);
    expect(allowed('http://api.example.com/x', ['https://api.example.com'])).toBe(false);
    expect(allowed('https://api.example.com/x', ['https://api.example.com/'])).toBe(true);
    expect(allowed('http://anything/x', [])).toBe(false);
  });
});

describe('job status transitions', () => {
  it('allows only the documented changes; nothing leaves a final status', () => {
    const all = ['QUEUED', 'RUNNING', 'OK', 'ERROR', 'CANCELLED'] as const;
    const legal = all.flatMap((from) => all.filter((to) => from !== to && isLegalTransition(from, to)).map((to) => `${from}->${to}`));
    expect(legal).toEqual(['QUEUED->RUNNING', 'QUEUED->CANCELLED', 'RUNNING->OK', 'RUNNING->ERROR', 'RUNNING->CANCELLED']);
    for (const final of ['OK', 'ERROR', 'CANCELLED'] as const) expect(isLegalTransition(final, final)).toBe(false);
  });

  it('checks parameters as a string map and requires the referenced ones', () => {
    expect(parameterIssues({ a: '1', b: 2, 'bad name': 'x' }, ['a', 'c']).map((i) => [i.path.join('.'), i.code])).toEqual([
      ['parameters.b', 'INVALID_VALUE'],
      ['parameters.bad name', 'INVALID_NAME'],
      ['parameters.c', 'REQUIRED'],
    ]);
    expect(parameterIssues(['x'], [])[0]!.code).toBe('INVALID_VALUE');
  });
});

describe('task validation', () => {
  const config = loadConfig({ HTTP_TASK_ALLOW_LIST: 'hooks.example.com' });
  const issues = (tasks: { kind: string; parameters: unknown }[]) =>
    taskIssues(tasks, ['tasks'], config, { onError: false }).map((i) => [i.path.join('.'), i.code]);

  it('reports every problem of every task at once', () => {
    expect(
      issues([
        { kind: 'nope', parameters: {} },
        { kind: 'wait', parameters: { seconds: -1 } },
        { kind: 'log', parameters: { message: 'x', extra: 1 } },
        { kind: 'httpRequest', parameters: { url: 'https://elsewhere.example.org/' } },
        { kind: 'log', parameters: {} },
      ]),
    ).toEqual([
      ['tasks.0.kind', 'UNKNOWN_TASK_KIND'],
      ['tasks.1.parameters.seconds', 'INVALID_VALUE'],
      ['tasks.2.parameters', 'UNKNOWN_FIELD'],
      ['tasks.3.parameters.url', 'NOT_ALLOWED'],
      ['tasks.4.parameters.message', 'REQUIRED'],
    ]);
  });

  it('defers checks of templated values to run time', () => {
    expect(
      issues([
        { kind: 'wait', parameters: { seconds: '{{params.delay}}' } },
        { kind: 'httpRequest', parameters: { url: '{{params.hook}}' } },
      ]),
    ).toEqual([]);
  });
});
