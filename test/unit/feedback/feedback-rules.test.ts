import { describe, expect, it } from 'vitest';
import { analyzeSentiment, SENTIMENT_THRESHOLDS } from '../../../src/modules/feedback/sentiment.js';
import { canonicalPropertyValue } from '../../../src/modules/feedback/response.properties.js';
import { questionIssues, validateAnswers, type Question } from '../../../src/modules/feedback/survey.questions.js';
import { ruleIssues, termIssues } from '../../../src/modules/feedback/tag.rules.js';
import { normalizeTagName } from '../../../src/modules/feedback/tag.service.js';

describe('sentiment', () => {
  it('labels by the comparative-score thresholds', () => {
    expect(SENTIMENT_THRESHOLDS).toEqual({ positive: 0.05, negative: -0.05 });
    expect(analyzeSentiment('I love it')).toEqual({ sentiment: 'POSITIVE', sentimentScore: 1 });
    expect(analyzeSentiment('not good')).toMatchObject({ sentiment: 'NEGATIVE' }); // negation-aware
    expect(analyzeSentiment('the table is blue')).toEqual({ sentiment: 'NEUTRAL', sentimentScore: 0 });
    // +3 ("good") over 60 tokens = 0.05: exactly on the threshold is positive
    expect(analyzeSentiment(`good ${'word '.repeat(59)}`)).toMatchObject({ sentiment: 'POSITIVE', sentimentScore: 0.05 });
    expect(analyzeSentiment(`good ${'word '.repeat(60)}`)).toMatchObject({ sentiment: 'NEUTRAL' });
    expect(analyzeSentiment(`bad ${'word '.repeat(59)}`)).toMatchObject({ sentiment: 'NEGATIVE', sentimentScore: -0.05 });
    expect(analyzeSentiment('')).toEqual({ sentiment: null, sentimentScore: null });
    expect(analyzeSentiment('?!')).toEqual({ sentiment: null, sentimentScore: null });
  });
});

describe('survey questions and answers', () => {
  const { questions, issues } = questionIssues(
    [
      { id: 'n', type: 'NPS', headline: 'n' },
      { id: 'ces', type: 'RATING', headline: 'c', metricType: 'CES' },
      { id: 'r', type: 'RATING', headline: 'r', scale: 10, required: false },
    ],
    ['q'],
  );
  it('fills scales per metric type', () => {
    expect(issues).toEqual([]);
    expect(questions.map((q) => [q.id, q.scale, q.metricType])).toEqual([
      ['n', null, 'NPS'],
      ['ces', 7, 'CES'],
      ['r', 10, 'OTHER'],
    ]);
  });
  it('prefers the NPS answer for the score, else the first rating', () => {
    const qs = questions as Question[];
    expect(
      validateAnswers(
        qs,
        [
          { questionId: 'ces', number: 7 },
          { questionId: 'n', number: 0 },
        ],
        ['a'],
      ).derived,
    ).toMatchObject({ score: 0, metricType: 'NPS' });
    const noNps = qs.filter((q) => q.id !== 'n');
    expect(
      validateAnswers(
        noNps,
        [
          { questionId: 'r', number: 10 },
          { questionId: 'ces', number: 2 },
        ],
        ['a'],
      ).derived,
    ).toMatchObject({ score: 2, metricType: 'CES' });
    expect(validateAnswers(noNps, [{ questionId: 'ces', number: 8 }], ['a']).issues).toEqual([expect.objectContaining({ code: 'OUT_OF_RANGE' })]);
    expect(validateAnswers(noNps, [{ questionId: 'ces', number: 1.5 }], ['a']).issues).toEqual([expect.objectContaining({ code: 'OUT_OF_RANGE' })]);
  });
});

describe('custom property values', () => {
  it('canonicalises by data type', () => {
    expect(canonicalPropertyValue('NUMBER', ' 1e3 ')).toBe('1000');
    expect(canonicalPropertyValue('NUMBER', '')).toBeNull();
    expect(canonicalPropertyValue('NUMBER', 'Infinity')).toBeNull();
    expect(canonicalPropertyValue('BOOLEAN', 'No')).toBe('false');
    expect(canonicalPropertyValue('BOOLEAN', 'maybe')).toBeNull();
    expect(canonicalPropertyValue('DATE', '2024-02-30')).toBeNull();
    expect(canonicalPropertyValue('DATE', '2024-02-29')).toBe('2024-02-29T00:00:00.000Z');
    expect(canonicalPropertyValue('DATE', 'yesterday')).toBeNull();
    expect(canonicalPropertyValue('DATE', '2024-05-01T10:00:00+02:00')).toBe('2024-05-01T08:00:00.000Z');
    expect(canonicalPropertyValue('STRING', ' as is ')).toBe(' as is ');
  });
});

describe('tag names, terms and rules', () => {
  it('normalises names', () => {
    expect(normalizeTagName('  late\t delivery ')).toBe('LATE DELIVERY');
    expect(normalizeTagName('straße')).toBe('STRASSE');
  });
  it('cleans and deduplicates terms case-insensitively', () => {
    expect(termIssues(['Refund', 'refund', ' help   desk ', 'café'], ['t'])).toEqual({ terms: ['Refund', 'help desk', 'café'], issues: [] });
    expect(termIssues(['c++'], ['t']).issues[0]?.code).toBe('INVALID_VALUE');
  });
  it('keeps only the fields of each rule type', () => {
    expect(
      ruleIssues(
        [
          { type: 'SCORE_RANGE', min: 0 },
          { type: 'METRIC_TYPE', metricTypes: ['NPS', 'NPS'] },
        ],
        ['r'],
      ),
    ).toEqual({
      rules: [
        { type: 'SCORE_RANGE', min: 0, max: null },
        { type: 'METRIC_TYPE', metricTypes: ['NPS'] },
      ],
      issues: [],
    });
  });
});

describe('per-tag sentiment of a TEXT_MATCH tag', () => {
  it('is the sentiment of the clauses holding a term, whole words and any case', async () => {
    const { matchedTextSentiment } = await import('../../../src/modules/feedback/tag-sentiment.js');
    const text = 'I love the app, the design is great. But BILLING is confusing; refunds are slow';
    expect(matchedTextSentiment(text, ['billing'])).toBe('NEGATIVE');
    expect(matchedTextSentiment(text, ['design'])).toBe('POSITIVE');
    expect(matchedTextSentiment('The app is great but billing is awful', ['billing'])).toBe('NEGATIVE');
    expect(matchedTextSentiment('The app is great but billing is awful', ['app'])).toBe('POSITIVE');
    // terms with punctuation match as written; a term no clause holds alone falls back to the whole text
    expect(matchedTextSentiment('Wi-Fi is awful. Rest is fine', ['wi-fi'])).toBe('NEGATIVE');
    expect(matchedTextSentiment('Great stuff. e.g. billing', ['stuff. e.g'])).toBe('POSITIVE');
  });
});
