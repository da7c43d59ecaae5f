import type { SchemaTypes } from '@pothos/core';
import { builder } from './builder.js';

/** What every deleteX answers in `deleted`; `__typename` names the object type (DeletedObject, or one that says what more was removed). */
export interface DeletedShape {
  __typename: string;
  id: string;
}

export const DeletedInterface = builder.interfaceRef<DeletedShape>('Deleted').implement({
  description: 'What a delete mutation removed. `id` is the global id of the object deleted; a type that removed more says what.',
  resolveType: (deleted) => deleted.__typename,
  fields: (t) => ({ id: t.exposeID('id', { description: 'The global id of the deleted object' }) }),
});

export const DeletedObject = builder.objectRef<DeletedShape>('DeletedObject').implement({
  description: 'A deleted object that took nothing else with it',
  interfaces: [DeletedInterface],
  fields: () => ({}),
});

/** A deleted object that took nothing else with it. */
export const deletedObject = (id: string | number | bigint): DeletedShape => ({ __typename: 'DeletedObject', id: String(id) });

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T extends SchemaTypes> ? T : never;

/**
 * The `errors` options of every deleteX mutation: its success carries `deleted: Deleted!`, the one
 * delete shape; the old `data` stays one release, deprecated (docs/api-conventions.md).
 */
export function deleteResult<Data>(toDeleted: (data: Data) => DeletedShape) {
  return {
    dataField: { deprecationReason: 'Use deleted' },
    result: {
      fields: (t: PothosSchemaTypes.ObjectFieldBuilder<Types, Data>) => ({
        deleted: t.field({ type: DeletedInterface, description: 'What was deleted', resolve: (data) => toDeleted(data) }),
      }),
    },
  };
}

/** The delete results that had a type of their own before `Deleted`: they implement it now; `deletedId` is deprecated. */
export function deletedTypeWithOldId(name: string, description: string) {
  return builder.objectRef<DeletedShape>(name).implement({
    description,
    interfaces: [DeletedInterface],
    fields: (t) => ({ deletedId: t.exposeID('id', { deprecationReason: 'Use id' }) }),
  });
}
