/** An option of a STATIC_SELECT field, as read and as given. */
import type { SelectOption } from '../../../core/records/index.js';
import { builder } from '../../../graphql/builder.js';

export const SelectOptionType = builder.objectRef<SelectOption>('SelectOption').implement({
  description: 'An option of a select field.',
  fields: (t) => ({ id: t.exposeString('id'), label: t.exposeString('label'), order: t.exposeInt('order') }),
});

export const SelectOptionInput = builder.inputType('SelectOptionInput', {
  description: 'An option of a select field.',
  fields: (t) => ({
    id: t.string({ required: false, description: 'Stable id; derived from the label when absent' }),
    label: t.string(),
    order: t.int({ required: false }),
  }),
});
