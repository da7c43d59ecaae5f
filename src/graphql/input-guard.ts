/**
 * The one place where hostile argument values are refused, before graphql-js coerces variables
 * and before any resolver runs: every argument of the operation (inline literals and the raw
 * variables they name, file parts included) is walked once, iteratively, so no input can overflow
 * the stack here or later. Refusals answer BAD_USER_INPUT (HTTP 400) with one issue per argument
 * path, e.g. ["input", "firstImport", "name"]; nothing runs, so nothing is written.
 * The limits are documented in README "Limits".
 */
import {
  GraphQLError,
  Kind,
  TypeInfo,
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { FieldIssue, IssueCode } from '../errors.js';

/** Objects and lists inside one argument value, counted from the argument. */
export const MAX_INPUT_DEPTH = 64;
/** Objects and arrays inside one JSON value, counted from the JSON value. */
export const MAX_JSON_DEPTH = 32;
/** Elements of one list (one JSON array included). */
export const MAX_LIST_LENGTH = 10_000;

// a UTF-16 high surrogate not followed by a low one, or a low one not preceded by a high one
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be stored (PostgreSQL refuses NUL in text and jsonb; lone surrogates are not UTF-8), or null. */
export function stringProblem(s: string): Pick<FieldIssue, 'code' | 'message'> | null {
  if (s.includes('\u0000')) return { code: 'NUL_CHARACTER', message: 'Text must not contain the NUL character (U+0000)' };
  if (LONE_SURROGATE.test(s)) return { code: 'INVALID_UNICODE', message: 'Text must be valid Unicode (no lone surrogate code units)' };
  return null;
}

interface Item {
  /** a literal of the document, or (`ast` undefined) a value from the variables */
  ast?: ValueNode;
  value?: unknown;
  type: GraphQLInputType | null;
  path: string[];
  depth: number;
  /** depth inside the enclosing JSON value; 0 outside JSON */
  jsonDepth: number;
}

/** Every issue of every argument in the document, given the raw (uncoerced) variables. */
export function inputIssues(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | null | undefined): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const argument = typeInfo.getArgument();
        checkValue({ ast: node.value, type: argument?.type ?? null, path: [node.name.value], depth: 0, jsonDepth: 0 }, variables ?? {}, issues);
        return false;
      },
    }),
  );
  return issues;
}

function checkValue(root: Item, variables: Record<string, unknown>, issues: FieldIssue[]) {
  const stack: Item[] = [root];
  const add = (path: string[], code: IssueCode, message: string) => issues.push({ path, code, message });
  while (stack.length) {
    const item = stack.pop()!;
    const { path } = item;
    if (item.ast?.kind === Kind.VARIABLE) {
      stack.push({ ...item, ast: undefined, value: variables[item.ast.name.value] });
      continue;
    }
    const { kind, entries, text } = describe(item);
    const type = expected(item.type, kind);
    const named = type ? getNamedType(type) : null;
    const inJson = item.jsonDepth > 0 || named?.name === 'JSON';
    if (kind === 'list' || kind === 'object') {
      const depth = item.depth + 1;
      const jsonDepth = inJson ? item.jsonDepth + 1 : 0;
      if (depth > MAX_INPUT_DEPTH) {
        add(path, 'TOO_DEEP', `Input values are nested at most ${MAX_INPUT_DEPTH} levels deep`);
        continue;
      }
      if (jsonDepth > MAX_JSON_DEPTH) {
        add(path, 'TOO_DEEP', `JSON values are nested at most ${MAX_JSON_DEPTH} levels deep`);
        continue;
      }
      if (kind === 'list' && entries.length > MAX_LIST_LENGTH) {
        add(path, 'TOO_MANY', `Lists have at most ${MAX_LIST_LENGTH} elements`);
        continue;
      }
      for (const [key, child] of entries) {
        if (kind === 'object') {
          const problem = stringProblem(key);
          if (problem) add([...path, key.replace(/[\u0000\ud800-\udfff]/g, '\ufffd')], problem.code, problem.message);
        }
        const childType = inJson || !type ? null : isListType(type) ? type.ofType : isInputObjectType(type) ? (type.getFields()[key]?.type ?? null) : null;
        stack.push({ ...child, type: childType, path: [...path, key], depth, jsonDepth });
      }
      continue;
    }
    if (text === null) continue;
    const problem = stringProblem(text);
    if (problem) add(path, problem.code, problem.message);
    else if (named?.name === 'DateTime' && !inJson && kind === 'string' && !storableDateTime(text)) {
      add(path, 'OUT_OF_RANGE', 'Dates are between years 0001 and 9999 (RFC 3339, e.g. "2030-01-31T12:00:00Z")');
    }
  }
}

/** The type a value is read as: without non-null, and a single value given for a list is read as its item (input coercion allows that). */
function expected(type: GraphQLInputType | null, kind: string): GraphQLInputType | null {
  let t = type;
  for (;;) {
    if (t && isNonNullType(t)) t = t.ofType;
    else if (t && isListType(t) && kind !== 'list') t = t.ofType;
    else return t;
  }
}

type Entry = [string, Pick<Item, 'ast' | 'value'>];

/** The shape of one value, literal or variable: its children, or its text (a string or a file's name). */
function describe(item: Item): { kind: 'list' | 'object' | 'string' | 'file' | 'other'; entries: Entry[]; text: string | null } {
  const none = { entries: [] as Entry[], text: null };
  const { ast } = item;
  if (ast) {
    if (ast.kind === Kind.LIST) return { ...none, kind: 'list', entries: ast.values.map((v, i) => [String(i), { ast: v }]) };
    if (ast.kind === Kind.OBJECT) return { ...none, kind: 'object', entries: ast.fields.map((f) => [f.name.value, { ast: f.value }]) };
    if (ast.kind === Kind.STRING) return { ...none, kind: 'string', text: ast.value };
    return { ...none, kind: 'other' };
  }
  const { value } = item;
  if (typeof value === 'string') return { ...none, kind: 'string', text: value };
  if (Array.isArray(value)) return { ...none, kind: 'list', entries: value.map((v, i) => [String(i), { value: v }]) };
  if (typeof Blob !== 'undefined' && value instanceof Blob) return { ...none, kind: 'file', text: (value as File).name ?? null };
  if (value && typeof value === 'object') return { ...none, kind: 'object', entries: Object.entries(value).map(([k, v]) => [k, { value: v }]) };
  return { ...none, kind: 'other' };
}

/** Years PostgreSQL's timestamp stores and JavaScript and RFC 3339 agree on. */
export function storableDateTime(text: string): boolean {
  const time = Date.parse(text);
  if (Number.isNaN(time)) return true; // not a date at all: the DateTime scalar refuses it
  const year = new Date(time).getUTCFullYear();
  return year >= 1 && year <= 9999;
}

function refusal(issues: FieldIssue[]) {
  const shown = issues.slice(0, 20);
  return new GraphQLError(`Invalid input: ${shown.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, {
    extensions: { code: 'BAD_USER_INPUT', issues: shown },
  });
}

interface ExecutionHook {
  args: { schema: GraphQLSchema; document: DocumentNode; variableValues?: Record<string, unknown> | null; contextValue?: unknown };
  setResultAndStopExecution: (result: { errors: GraphQLError[]; extensions?: Record<string, unknown> }) => void;
}

/** The envelop plugin: runs before execute and subscribe, over HTTP, SSE and WebSockets alike. */
export function useInputGuard(): Plugin {
  const guard = ({ args, setResultAndStopExecution }: ExecutionHook) => {
    const issues = inputIssues(args.schema, args.document, args.variableValues);
    if (!issues.length) return;
    // Yoga answers HTTP 400 for `extensions.http` and strips it; a WebSocket (no Fetch request) has no status
    const overHttp = typeof args.contextValue === 'object' && args.contextValue !== null && 'request' in args.contextValue;
    setResultAndStopExecution({ errors: [refusal(issues)], ...(overHttp ? { extensions: { http: { status: 400 } } } : {}) });
  };
  return { onExecute: guard, onSubscribe: guard } as Plugin;
}
