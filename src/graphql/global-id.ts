import { PothosValidationError } from '@pothos/core';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { badInput } from '../errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Decodes a global id and checks its raw id is a uuid (every table keys by uuid). Without this a
 * well-formed global id around garbage reaches PostgreSQL's uuid cast and fails as INTERNAL.
 * Throws the coded error itself: masking recognises it by its class, not by its message.
 */
export function decodeUuidGlobalID(globalID: string) {
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(globalID);
  } catch (error) {
    if (error instanceof PothosValidationError) throw invalidGlobalID(globalID);
    throw error;
  }
  if (!UUID.test(decoded.id)) throw invalidGlobalID(globalID);
  return decoded;
}

const invalidGlobalID = (globalID: string) => badInput(`Invalid global ID: ${globalID}`);
