import type { PrismaModelTypes, PrismaObjectRef } from '@pothos/plugin-prisma';
import type PrismaTypes from '../generated/pothos-prisma-types.js';
import type { builder } from './builder.js';

/** The schema types the builder was made with, for helpers that take Pothos refs or field builders. */
export type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never;

/** A Pothos object type over a Prisma model, whatever its name (Form and Module both map Collection). */
export type PrismaRefOf<Name extends keyof PrismaTypes> = PrismaObjectRef<BuilderTypes, PrismaModelTypes & PrismaTypes[Name], PrismaTypes[Name]['Shape']>;
