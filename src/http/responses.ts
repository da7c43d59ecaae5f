/** JSON responses the HTTP side answers with before (or instead of) GraphQL. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** An unexpected failure, already logged in full: the client sees JSON INTERNAL, never a stack trace. */
export const internalErrorResponse = (requestId: string | undefined) =>
  jsonResponse(500, { errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL', requestId } }] });
