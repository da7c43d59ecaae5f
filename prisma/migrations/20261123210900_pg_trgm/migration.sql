-- Written by hand: Prisma's schema cannot declare this extension without the preview feature
-- `postgresqlExtensions`. The records engine builds trigram GIN indexes on `indexed` text-like
-- fields so CONTAINS and free-text search use an index (pg_trgm is a trusted extension, PG 13+).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
