import { createHash } from 'node:crypto';
import type { Db } from '../../db/prisma.js';
import { scalarExpr } from './expressions.js';
import { FIELD_TYPE_SPECS } from './field-types.js';
import type { CollectionSchema, FieldDefinition } from './schema.js';

/** The name of a field's expression index (stable for a collection and key). */
function indexName(collectionId: string, key: string) {
  return `rx_${collectionId.replace(/-/g, '').slice(0, 12)}_${createHash('sha256').update(`${collectionId}/${key}`).digest('hex').slice(0, 16)}`;
}

/**
 * Creates (or drops) the partial expression index of an `indexed` field: the exact expression
 * the filter compiler emits, then id for a stable order, over the collection's rows only.
 * CONCURRENTLY, so writes continue while a large collection is indexed; never inside a transaction.
 */
export async function syncIndex(db: Db, schema: CollectionSchema, field: FieldDefinition, wanted: boolean) {
  const name = indexName(schema.collection.id, field.key);
  if (!wanted) {
    await db.$executeRawUnsafe(`drop index concurrently if exists "${name}"`);
    await db.$executeRawUnsafe(`drop index concurrently if exists "${name}_t"`);
    return;
  }
  const expr = scalarExpr(schema, field, '');
  if (!expr) return;
  const text = expr.sql.sql;
  if (expr.sql.values.length) throw new Error('index expressions take no parameters');
  const where = `where "collectionId" = '${schema.collection.id}'`;
  // (value, createdAt, autoNumber): equality filters serve the default order (createdAt, then the
  // auto-number tie-break) straight from the index; range filters sorted by the value use it too
  await db.$executeRawUnsafe(`create index concurrently if not exists "${name}" on "Record" ((${text}), "createdAt", "autoNumber") ${where}`);
  if (FIELD_TYPE_SPECS[field.type].searchable && field.type !== 'CHECKLIST') {
    // trigram index: CONTAINS and free-text search (ILIKE '%...%') use it
    await db.$executeRawUnsafe(`create index concurrently if not exists "${name}_t" on "Record" using gin ((${text}) gin_trgm_ops) ${where}`);
  }
}
