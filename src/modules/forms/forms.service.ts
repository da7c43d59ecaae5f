import type { RecordScope } from '../../core/records/index.js';

/**
 * Forms are collections of kind FORM and entries their records: every rule lives in the shared
 * engine (src/core/records); this scope names the kind and the nouns errors use.
 */
export const FORM_SCOPE: RecordScope = { kind: 'FORM', collectionNoun: 'Form', recordNoun: 'Entry' };
