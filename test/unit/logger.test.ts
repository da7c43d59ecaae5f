import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

describe('logger', () => {
  it('writes JSON lines for machines', () => {
    const { stream, lines } = capture();
    createLogger('info', stream).info({ port: 4000 }, 'formgraph is ready');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, msg: 'formgraph is ready', port: 4000, service: 'formgraph' });
  });

  it('writes readable lines for people', async () => {
    const { stream, lines } = capture();
    createLogger('info', stream, { human: true }).info({ port: 4000 }, 'formgraph is ready');
    await new Promise((r) => setImmediate(r));
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: formgraph is ready$/);
    expect(lines[1]).toMatch(/^\s+port: 4000$/);
    expect(lines.join('\n')).not.toContain('{');
  });
});
