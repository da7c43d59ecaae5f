-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'DELETING');

-- CreateEnum
CREATE TYPE "ImportPolicy" AS ENUM ('ABORT', 'SKIP_INVALID_ROWS');

-- CreateEnum
CREATE TYPE "ExportType" AS ENUM ('RESPONSES', 'USERS');

-- CreateEnum
CREATE TYPE "ExportStatus" AS ENUM ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED');

-- CreateTable
CREATE TABLE "Import" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "source" TEXT,
    "metricType" "MetricType" NOT NULL DEFAULT 'OTHER',
    "language" TEXT,
    "secondaryProductCategoryId" TEXT,
    "policy" "ImportPolicy" NOT NULL DEFAULT 'ABORT',
    "status" "ImportStatus" NOT NULL DEFAULT 'QUEUED',
    "fileName" TEXT NOT NULL,
    "byteSize" INTEGER NOT NULL,
    "columns" JSONB NOT NULL,
    "totalRows" INTEGER NOT NULL,
    "validRows" INTEGER NOT NULL,
    "invalidRows" INTEGER NOT NULL,
    "writtenRows" INTEGER NOT NULL DEFAULT 0,
    "sampleAnalyzed" BOOLEAN NOT NULL DEFAULT false,
    "idempotencyKey" TEXT,
    "uploadId" UUID NOT NULL,
    "jobId" UUID,
    "deleteJobId" UUID,
    "errorMessage" TEXT,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Import_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportStagingRow" (
    "uploadId" UUID NOT NULL,
    "row" INTEGER NOT NULL,
    "feedback" TEXT NOT NULL,
    "feedbackDate" TIMESTAMP(3) NOT NULL,
    "userId" TEXT,
    "score" INTEGER,
    "properties" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImportStagingRow_pkey" PRIMARY KEY ("uploadId","row")
);

-- CreateTable
CREATE TABLE "Export" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "type" "ExportType" NOT NULL,
    "status" "ExportStatus" NOT NULL DEFAULT 'QUEUED',
    "jobId" UUID,
    "rowCount" INTEGER,
    "byteSize" BIGINT,
    "errorMessage" TEXT,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Export_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportDefaults" (
    "workspaceId" UUID NOT NULL,
    "name" TEXT,
    "source" TEXT,
    "metricType" "MetricType",
    "language" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ImportDefaults_pkey" PRIMARY KEY ("workspaceId")
);

-- CreateIndex
CREATE INDEX "Import_workspaceId_createdAt_idx" ON "Import"("workspaceId", "createdAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "Import_workspaceId_idempotencyKey_key" ON "Import"("workspaceId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "ImportStagingRow_createdAt_idx" ON "ImportStagingRow"("createdAt");

-- CreateIndex
CREATE INDEX "Export_workspaceId_createdAt_idx" ON "Export"("workspaceId", "createdAt" DESC);

-- AddForeignKey
ALTER TABLE "Import" ADD CONSTRAINT "Import_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Export" ADD CONSTRAINT "Export_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportDefaults" ADD CONSTRAINT "ImportDefaults_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

