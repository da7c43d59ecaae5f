// The `sentiment` package ships no types; this is the part of its API formgraph uses.
declare module 'sentiment' {
  interface AnalysisResult {
    score: number;
    comparative: number;
    tokens: string[];
    words: string[];
    positive: string[];
    negative: string[];
  }
  export default class Sentiment {
    analyze(phrase: string): AnalysisResult;
  }
}
