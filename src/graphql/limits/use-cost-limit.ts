import { GraphQLError, type ExecutionArgs } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { queryCost } from './query-cost.js';

/**
 * Refuses an operation whose estimated cost (query-cost.ts) exceeds `maxCost` before it
 * executes: QUERY_TOO_COMPLEX, HTTP 400. It runs in the envelop pipeline, so HTTP, SSE and
 * graphql-ws operations are all measured.
 */
export function useCostLimit(maxCost: number): Plugin {
  const check = (args: ExecutionArgs) => {
    const cost = queryCost(args.schema, args.document, args.operationName, args.variableValues as Record<string, unknown> | undefined);
    if (cost <= maxCost) return null;
    return new GraphQLError(`Query cost limit of ${maxCost} exceeded, estimated ${cost}. Ask for fewer items (first/last) or fewer fields.`, {
      extensions: { code: 'QUERY_TOO_COMPLEX', cost, maxCost, http: { status: 400 } },
    });
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
