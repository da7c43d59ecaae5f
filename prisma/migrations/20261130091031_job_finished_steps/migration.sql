-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "finishedSteps" INTEGER[] DEFAULT ARRAY[]::INTEGER[];

