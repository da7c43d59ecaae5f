-- AlterTable
ALTER TABLE "ImportStagingRow" ALTER COLUMN "feedback" DROP NOT NULL;

