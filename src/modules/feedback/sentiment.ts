import Sentiment from 'sentiment';

export type SentimentLabel = 'POSITIVE' | 'NEGATIVE' | 'NEUTRAL';

const analyzer = new Sentiment();

/**
 * Thresholds on AFINN's comparative score (sum of the AFINN-165 word scores, -5..+5 each, divided
 * by the number of tokens, negation-aware: "not good" scores negative):
 *   comparative >=  0.05  POSITIVE
 *   comparative <= -0.05  NEGATIVE
 *   otherwise             NEUTRAL (no opinion words, or they cancel out)
 * Feedback that is empty or has no word tokens has no sentiment (null).
 * 0.05 means one mildly positive word (+1) in up to 20 words still counts as positive.
 */
export const SENTIMENT_THRESHOLDS = { positive: 0.05, negative: -0.05 } as const;

export function analyzeSentiment(text: string | null | undefined): { sentiment: SentimentLabel | null; sentimentScore: number | null } {
  if (!text?.trim()) return { sentiment: null, sentimentScore: null };
  const result = analyzer.analyze(text);
  // the tokenizer strips punctuation; text of only punctuation leaves empty tokens
  if (!result.tokens.some((t) => t.length > 0)) return { sentiment: null, sentimentScore: null };
  const c = result.comparative;
  const sentiment = c >= SENTIMENT_THRESHOLDS.positive ? 'POSITIVE' : c <= SENTIMENT_THRESHOLDS.negative ? 'NEGATIVE' : 'NEUTRAL';
  return { sentiment, sentimentScore: Math.round(c * 10000) / 10000 };
}
