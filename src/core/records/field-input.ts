/** What a client gives to define or change a field, before it is checked. */
import type { FieldConfig } from './schema.js';

export interface FieldInput {
  key: string;
  label: string;
  description?: string | null;
  type: string;
  required?: boolean | null;
  allowMultiple?: boolean | null;
  options?: Array<{ id?: string | null; label: string; order?: number | null }> | null;
  defaultValue?: unknown;
  visible?: boolean | null;
  indexed?: boolean | null;
  config?: FieldConfig | null;
}

export type FieldUpdate = Partial<Omit<FieldInput, 'key'>>;
