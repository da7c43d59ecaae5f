/**
 * User text inside a LIKE pattern (Prisma's `contains` is one) matches literally only with its
 * wildcards escaped: unescaped, a search for "%" matches everything and "_" any character.
 * Backslash is PostgreSQL's default LIKE escape character.
 */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
