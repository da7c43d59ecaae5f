-- Written by hand: a data change, which `prisma migrate diff` cannot express. Tag display names
-- are upper-cased as the feedback product shows them (`my-tag` reads `MY-TAG`). The services
-- store new ones upper-cased (tag.service.ts normalizeTagName), this brings existing rows along.
-- (The migration runner splits scripts at every semicolon, comments included: none up here.)
UPDATE "Tag" SET "displayName" = upper("displayName") WHERE "displayName" <> upper("displayName");
