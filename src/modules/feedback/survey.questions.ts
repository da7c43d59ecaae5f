import { randomUUID } from 'node:crypto';
import type { FieldIssue } from '../../errors.js';
import type { MetricType } from './tag.rules.js';

export const QUESTION_TYPES = ['OPEN_TEXT', 'RATING', 'NPS', 'SINGLE_CHOICE', 'MULTIPLE_CHOICE'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/**
 * A survey question as stored in Survey.questions.
 * - NPS: answer is an integer 0..10; the response's metricType is NPS.
 * - RATING: answer is an integer 1..scale. metricType CSAT fixes scale 5 (1..5), CES fixes scale 7
 *   (1..7, "how easy was it"), OTHER (default) allows scale 3, 4, 5, 7 or 10.
 * - SINGLE_CHOICE / MULTIPLE_CHOICE: answers are some of `choices` (exactly one for single).
 * - OPEN_TEXT: free text, at most 10,000 characters.
 */
export interface Question {
  id: string;
  type: QuestionType;
  headline: string;
  required: boolean;
  choices: string[] | null;
  scale: number | null;
  metricType: MetricType | null;
}

export interface QuestionInput {
  id?: string | null;
  type: QuestionType;
  headline: string;
  required?: boolean | null;
  choices?: string[] | null;
  scale?: number | null;
  metricType?: MetricType | null;
}

export const RATING_SCALES = [3, 4, 5, 7, 10] as const;
export const FIXED_SCALE: Partial<Record<MetricType, number>> = { CSAT: 5, CES: 7 };
export const MAX_QUESTIONS = 100;
export const MAX_TEXT_ANSWER = 10_000;

export function questionIssues(inputs: QuestionInput[], path: string[]): { questions: Question[]; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const questions: Question[] = [];
  const ids = new Set<string>();
  if (inputs.length > MAX_QUESTIONS) issues.push({ path, code: 'TOO_MANY', message: `At most ${MAX_QUESTIONS} questions` });
  inputs.forEach((q, i) => {
    const p = [...path, String(i)];
    const n = issues.length;
    const id = q.id?.trim() || randomUUID();
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) issues.push({ path: [...p, 'id'], code: 'INVALID_VALUE', message: 'A question id is 1-64 letters, digits, _ or -' });
    else if (ids.has(id)) issues.push({ path: [...p, 'id'], code: 'DUPLICATE', message: `Question id ${id} is used twice` });
    ids.add(id);
    const headline = q.headline.trim();
    if (!headline) issues.push({ path: [...p, 'headline'], code: 'REQUIRED', message: 'A question needs a headline' });
    const choiceType = q.type === 'SINGLE_CHOICE' || q.type === 'MULTIPLE_CHOICE';
    let choices: string[] | null = null;
    if (choiceType) {
      choices = (q.choices ?? []).map((c) => c.trim());
      if (choices.length < 2) issues.push({ path: [...p, 'choices'], code: 'TOO_FEW', message: 'A choice question needs at least 2 choices' });
      if (choices.some((c) => !c)) issues.push({ path: [...p, 'choices'], code: 'REQUIRED', message: 'Choices must not be blank' });
      if (new Set(choices).size !== choices.length) issues.push({ path: [...p, 'choices'], code: 'DUPLICATE', message: 'Choices must be distinct' });
    } else if (q.choices) issues.push({ path: [...p, 'choices'], code: 'NOT_ALLOWED', message: 'Only choice questions have choices' });
    let scale: number | null = null;
    let metricType: MetricType | null = null;
    if (q.type === 'RATING') {
      metricType = q.metricType ?? 'OTHER';
      if (metricType === 'NPS') issues.push({ path: [...p, 'metricType'], code: 'INVALID_VALUE', message: 'Use an NPS question for NPS' });
      const fixed = FIXED_SCALE[metricType];
      scale = q.scale ?? fixed ?? 5;
      if (fixed && scale !== fixed) issues.push({ path: [...p, 'scale'], code: 'INVALID_VALUE', message: `A ${metricType} rating uses the scale 1..${fixed}` });
      else if (!(RATING_SCALES as readonly number[]).includes(scale))
        issues.push({ path: [...p, 'scale'], code: 'INVALID_VALUE', message: `scale must be one of ${RATING_SCALES.join(', ')}` });
    } else {
      if (q.scale !== undefined && q.scale !== null) issues.push({ path: [...p, 'scale'], code: 'NOT_ALLOWED', message: 'Only rating questions have a scale' });
      if (q.metricType !== undefined && q.metricType !== null)
        issues.push({ path: [...p, 'metricType'], code: 'NOT_ALLOWED', message: 'Only rating questions have a metric type' });
      if (q.type === 'NPS') metricType = 'NPS';
    }
    if (issues.length === n) questions.push({ id, type: q.type, headline, required: q.required ?? true, choices, scale, metricType });
  });
  return { questions, issues };
}

export interface AnswerInput {
  questionId: string;
  text?: string | null;
  number?: number | null;
  choices?: string[] | null;
}

export interface StoredAnswer {
  questionId: string;
  text?: string;
  number?: number;
  choices?: string[];
}

export interface DerivedResponse {
  answers: StoredAnswer[];
  /** the first answered NPS question's value, else the first answered RATING question's */
  score: number | null;
  metricType: MetricType;
  /** open-text answers in question order, joined by a blank line */
  feedback: string | null;
}

/** Validates answers against the questions (all problems at once) and derives score and feedback. */
export function validateAnswers(questions: Question[], inputs: AnswerInput[], path: string[]): { derived: DerivedResponse | null; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const byId = new Map(questions.map((q) => [q.id, q]));
  const given = new Map<string, { answer: AnswerInput; index: number }>();
  inputs.forEach((a, i) => {
    const p = [...path, String(i)];
    if (!byId.has(a.questionId)) issues.push({ path: [...p, 'questionId'], code: 'UNKNOWN_QUESTION', message: `No question ${a.questionId} in this survey` });
    else if (given.has(a.questionId)) issues.push({ path: [...p, 'questionId'], code: 'DUPLICATE', message: `Question ${a.questionId} is answered twice` });
    else given.set(a.questionId, { answer: a, index: i });
  });
  const stored: StoredAnswer[] = [];
  for (const q of questions) {
    const g = given.get(q.id);
    if (!g) {
      if (q.required) issues.push({ path: [...path], code: 'REQUIRED', message: `Question ${q.id} ("${q.headline}") requires an answer` });
      continue;
    }
    const { answer: a, index } = g;
    const p = [...path, String(index)];
    const extra = (field: 'text' | 'number' | 'choices') => {
      if (a[field] !== undefined && a[field] !== null) issues.push({ path: [...p, field], code: 'NOT_ALLOWED', message: `A ${q.type} answer has no ${field}` });
    };
    switch (q.type) {
      case 'OPEN_TEXT': {
        extra('number');
        extra('choices');
        const text = a.text?.trim() ?? '';
        if (!text) issues.push({ path: [...p, 'text'], code: 'REQUIRED', message: 'An open-text answer needs text' });
        else if (text.length > MAX_TEXT_ANSWER) issues.push({ path: [...p, 'text'], code: 'TOO_LONG', message: `At most ${MAX_TEXT_ANSWER} characters` });
        else stored.push({ questionId: q.id, text });
        break;
      }
      case 'NPS':
      case 'RATING': {
        extra('text');
        extra('choices');
        const [min, max] = q.type === 'NPS' ? [0, 10] : [1, q.scale!];
        if (a.number === undefined || a.number === null) issues.push({ path: [...p, 'number'], code: 'REQUIRED', message: 'A score answer needs number' });
        else if (!Number.isInteger(a.number) || a.number < min || a.number > max)
          issues.push({ path: [...p, 'number'], code: 'OUT_OF_RANGE', message: `The answer must be an integer ${min}..${max}` });
        else stored.push({ questionId: q.id, number: a.number });
        break;
      }
      case 'SINGLE_CHOICE':
      case 'MULTIPLE_CHOICE': {
        extra('text');
        extra('number');
        const picked = a.choices ?? [];
        const unknown = picked.filter((c) => !q.choices!.includes(c));
        if (unknown.length) issues.push({ path: [...p, 'choices'], code: 'INVALID_CHOICE', message: `Not a choice of this question: ${unknown.join(', ')}` });
        else if (new Set(picked).size !== picked.length) issues.push({ path: [...p, 'choices'], code: 'DUPLICATE', message: 'A choice is picked twice' });
        else if (q.type === 'SINGLE_CHOICE' && picked.length !== 1)
          issues.push({ path: [...p, 'choices'], code: 'INVALID_VALUE', message: 'Pick exactly one choice' });
        else if (picked.length === 0) issues.push({ path: [...p, 'choices'], code: 'REQUIRED', message: 'Pick at least one choice' });
        else stored.push({ questionId: q.id, choices: picked });
        break;
      }
    }
  }
  if (issues.length) return { derived: null, issues };
  const answerOf = (q: Question) => stored.find((s) => s.questionId === q.id);
  const scored = questions.find((q) => q.type === 'NPS' && answerOf(q)) ?? questions.find((q) => q.type === 'RATING' && answerOf(q));
  const texts = questions
    .filter((q) => q.type === 'OPEN_TEXT')
    .map((q) => answerOf(q)?.text)
    .filter((t): t is string => !!t);
  return {
    derived: {
      answers: stored,
      score: scored ? answerOf(scored)!.number! : null,
      metricType: scored?.metricType ?? 'OTHER',
      feedback: texts.length ? texts.join('\n\n') : null,
    },
    issues,
  };
}
