import { analyzeSentiment, type SentimentLabel } from './sentiment.js';

/**
 * Per-tag sentiment of a TEXT_MATCH tag: the sentiment of the text that made the tag match, not
 * of the whole response. The feedback is cut into clauses (at sentence ends, semicolons, line
 * breaks, and before "but", "however", "although", "though", "whereas"), the clauses holding one
 * of the tag's terms are analysed together; when no single clause holds a term (a term spanning
 * a cut), the whole feedback is. MANUAL and SMART tags carry the response's own sentiment.
 */

const CLAUSE_BREAK = /[.!?;\n]+|,?\s+(?=(?:but|however|although|though|whereas)\b)/i;

/** The tag's terms as autotag.ts matches them in SQL: whole words, any case, any whitespace inside. */
function termPattern(terms: string[]): RegExp {
  const alternatives = terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'));
  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}_])`, 'iu');
}

export function matchedTextSentiment(feedback: string, terms: string[]): SentimentLabel | null {
  const pattern = termPattern(terms);
  const clauses = feedback.split(CLAUSE_BREAK).filter((c) => pattern.test(c));
  return analyzeSentiment(clauses.length ? clauses.join('. ') : feedback).sentiment;
}
