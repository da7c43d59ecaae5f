/**
 * Every byte size in the API is a `Float` named `byteSize` (docs/api-conventions.md): exact for
 * whole numbers up to 2^53, where an `Int` (32 bits) stops at 2 GiB.
 */
export const BYTE_SIZE_DESCRIPTION = 'Size in bytes (a whole number; Float so it stays exact above 2^31)';
