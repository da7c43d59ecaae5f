-- CreateEnum
CREATE TYPE "ViewKind" AS ENUM ('TABLE', 'BOARD', 'CALENDAR', 'GALLERY', 'LIST');

-- AlterTable
ALTER TABLE "View" ADD COLUMN     "description" TEXT,
ADD COLUMN     "groupByField" TEXT,
ADD COLUMN     "kind" "ViewKind" NOT NULL DEFAULT 'TABLE';

