-- DropIndex
DROP INDEX "Record_collectionId_createdAt_id_idx";

-- DropIndex
DROP INDEX "Record_collectionId_autoNumber_idx";

-- CreateIndex
CREATE INDEX "Record_collectionId_createdAt_autoNumber_idx" ON "Record"("collectionId", "createdAt", "autoNumber");

-- CreateIndex
CREATE UNIQUE INDEX "Record_collectionId_autoNumber_key" ON "Record"("collectionId", "autoNumber");

