import { PothosValidationError } from '@pothos/core';
import { decodeGlobalID } from '@pothos/plugin-relay';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Decodes a global id and checks its raw id is a uuid (every table keys by uuid). Without this a
 * well-formed global id around garbage reaches PostgreSQL's uuid cast and fails as INTERNAL.
 */
export function decodeUuidGlobalID(globalID: string) {
  const decoded = decodeGlobalID(globalID);
  if (!UUID.test(decoded.id)) throw new PothosValidationError(`Invalid global ID: ${globalID}`);
  return decoded;
}
