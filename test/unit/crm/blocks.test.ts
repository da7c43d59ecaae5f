import { describe, expect, it } from 'vitest';
import { blockReferences, MAX_BLOCKS, parseBlocks, storedBlocks } from '../../../src/modules/crm/blocks.js';

const CHART = '7f1c2a52-5a3e-4d5b-9f52-0b7d8e1e2f10';
const MODULE = '0e4f7a11-2b3c-4d5e-8f90-a1b2c3d4e5f6';

describe('page block catalog', () => {
  it('fills defaults and normalises titles', () => {
    const { blocks, issues } = parseBlocks([
      { type: 'HEADING', title: '  ', props: { text: ' Hi ' } },
      { type: 'RECORD_LIST', props: { moduleId: MODULE } },
      { type: 'EMBED', title: 'Map', props: { url: 'http://maps.example' } },
    ]);
    expect(issues).toEqual([]);
    expect(blocks).toEqual([
      { type: 'HEADING', title: null, props: { text: 'Hi', level: 2 } },
      { type: 'RECORD_LIST', title: null, props: { moduleId: MODULE, viewId: null, fields: [], pageSize: 20 } },
      { type: 'EMBED', title: 'Map', props: { url: 'http://maps.example', height: null } },
    ]);
  });

  it('reports each problem with the input path of the block', () => {
    const { issues } = parseBlocks([
      { type: 'CHART', props: { chartId: 'nope' } },
      { type: 'RECORD_LIST', props: { moduleId: MODULE, pageSize: 0, fields: ['ok', 'Bad Key', 'ok'] } },
      { type: 'EMBED', props: { url: 'ftp://files.example', height: 10 } },
      { type: 'VIDEO', props: {} },
    ]);
    expect(issues.map((i) => `${i.path.join('.')} ${i.code}`)).toEqual([
      'blocks.0.chart.chartId INVALID_VALUE',
      'blocks.1.recordList.fields.1 INVALID_VALUE',
      'blocks.1.recordList.fields INVALID_VALUE',
      'blocks.1.recordList.pageSize INVALID_VALUE',
      'blocks.2.embed.url INVALID_VALUE',
      'blocks.2.embed.height INVALID_VALUE',
      'blocks.3.type UNKNOWN_BLOCK_TYPE',
    ]);
  });

  it('caps the number of blocks', () => {
    const many = Array.from({ length: MAX_BLOCKS + 1 }, () => ({ type: 'TEXT', props: { body: '' } }));
    expect(parseBlocks(many).issues).toEqual([{ path: ['blocks'], code: 'TOO_MANY', message: `At most ${MAX_BLOCKS} blocks` }]);
    expect(parseBlocks(many.slice(1)).issues).toEqual([]);
  });

  it('drops stored blocks that no longer parse instead of serving them raw', () => {
    expect(storedBlocks([{ type: 'TEXT', props: { body: 'a' } }, { type: 'GONE' }, 'junk'])).toEqual([{ type: 'TEXT', title: null, props: { body: 'a' } }]);
    expect(storedBlocks({ not: 'a list' })).toEqual([]);
  });

  it('lists the charts and modules blocks reference, by block index', () => {
    const { blocks } = parseBlocks([
      { type: 'CHART', props: { chartId: CHART } },
      { type: 'TEXT', props: { body: '' } },
      { type: 'CHART', props: { chartId: CHART } },
      { type: 'RECORD_LIST', props: { moduleId: MODULE } },
    ]);
    const refs = blockReferences(blocks);
    expect([...refs.charts]).toEqual([[CHART, [0, 2]]]);
    expect([...refs.modules]).toEqual([[MODULE, [3]]]);
  });
});
