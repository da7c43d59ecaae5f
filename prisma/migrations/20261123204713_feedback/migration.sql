-- CreateEnum
CREATE TYPE "SurveyType" AS ENUM ('LINK', 'APP');

-- CreateEnum
CREATE TYPE "SurveyStatus" AS ENUM ('DRAFT', 'IN_PROGRESS', 'PAUSED', 'COMPLETED');

-- CreateEnum
CREATE TYPE "MetricType" AS ENUM ('NPS', 'CSAT', 'CES', 'OTHER');

-- CreateEnum
CREATE TYPE "Sentiment" AS ENUM ('POSITIVE', 'NEGATIVE', 'NEUTRAL');

-- CreateEnum
CREATE TYPE "TagMode" AS ENUM ('MANUAL', 'SMART', 'TEXT_MATCH');

-- CreateEnum
CREATE TYPE "PropertyDataType" AS ENUM ('STRING', 'NUMBER', 'BOOLEAN', 'DATE');

-- CreateTable
CREATE TABLE "FeedbackOnboarding" (
    "workspaceId" UUID NOT NULL,
    "category" TEXT,
    "onboarded" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FeedbackOnboarding_pkey" PRIMARY KEY ("workspaceId")
);

-- CreateTable
CREATE TABLE "Project" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Survey" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "type" "SurveyType" NOT NULL,
    "status" "SurveyStatus" NOT NULL DEFAULT 'DRAFT',
    "questions" JSONB NOT NULL DEFAULT '[]',
    "singleUseEnabled" BOOLEAN NOT NULL DEFAULT false,
    "singleUseEncrypted" BOOLEAN NOT NULL DEFAULT false,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Survey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Response" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspaceId" UUID NOT NULL,
    "surveyId" UUID,
    "importId" UUID,
    "feedback" TEXT,
    "feedbackDate" TIMESTAMP(3) NOT NULL,
    "userId" TEXT,
    "score" DOUBLE PRECISION,
    "metricType" "MetricType" NOT NULL DEFAULT 'OTHER',
    "sentiment" "Sentiment",
    "sentimentScore" DOUBLE PRECISION,
    "answers" JSONB,
    "singleUseId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Response_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResponseTag" (
    "responseId" UUID NOT NULL,
    "tagId" UUID NOT NULL,
    "feedbackDate" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ResponseTag_pkey" PRIMARY KEY ("responseId","tagId")
);

-- CreateTable
CREATE TABLE "ResponseProject" (
    "responseId" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "feedbackDate" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ResponseProject_pkey" PRIMARY KEY ("responseId","projectId")
);

-- CreateTable
CREATE TABLE "ResponseProperty" (
    "id" UUID NOT NULL,
    "responseId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "dataType" "PropertyDataType" NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "ResponseProperty_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Tag" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "description" TEXT,
    "mode" "TagMode" NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "parentId" UUID,
    "scopeByParent" BOOLEAN NOT NULL DEFAULT false,
    "textMatchTerms" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "filterRules" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Tag_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Project_workspaceId_createdAt_idx" ON "Project"("workspaceId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Project_workspaceId_name_key" ON "Project"("workspaceId", "name");

-- CreateIndex
CREATE INDEX "Survey_workspaceId_updatedAt_id_idx" ON "Survey"("workspaceId", "updatedAt" DESC, "id");

-- CreateIndex
CREATE INDEX "Survey_workspaceId_createdAt_id_idx" ON "Survey"("workspaceId", "createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "Survey_workspaceId_name_id_idx" ON "Survey"("workspaceId", "name", "id");

-- CreateIndex
CREATE INDEX "Response_workspaceId_feedbackDate_id_idx" ON "Response"("workspaceId", "feedbackDate" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Response_workspaceId_surveyId_feedbackDate_idx" ON "Response"("workspaceId", "surveyId", "feedbackDate" DESC);

-- CreateIndex
CREATE INDEX "Response_workspaceId_metricType_feedbackDate_idx" ON "Response"("workspaceId", "metricType", "feedbackDate" DESC);

-- CreateIndex
CREATE INDEX "Response_importId_idx" ON "Response"("importId");

-- CreateIndex
CREATE UNIQUE INDEX "Response_surveyId_singleUseId_key" ON "Response"("surveyId", "singleUseId");

-- CreateIndex
CREATE INDEX "ResponseTag_tagId_feedbackDate_responseId_idx" ON "ResponseTag"("tagId", "feedbackDate" DESC, "responseId");

-- CreateIndex
CREATE INDEX "ResponseProject_projectId_feedbackDate_responseId_idx" ON "ResponseProject"("projectId", "feedbackDate" DESC, "responseId");

-- CreateIndex
CREATE UNIQUE INDEX "ResponseProperty_responseId_key_key" ON "ResponseProperty"("responseId", "key");

-- CreateIndex
CREATE INDEX "Tag_workspaceId_parentId_idx" ON "Tag"("workspaceId", "parentId");

-- CreateIndex
CREATE UNIQUE INDEX "Tag_workspaceId_name_key" ON "Tag"("workspaceId", "name");

-- AddForeignKey
ALTER TABLE "FeedbackOnboarding" ADD CONSTRAINT "FeedbackOnboarding_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Survey" ADD CONSTRAINT "Survey_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Survey" ADD CONSTRAINT "Survey_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Response" ADD CONSTRAINT "Response_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Response" ADD CONSTRAINT "Response_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "Survey"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResponseTag" ADD CONSTRAINT "ResponseTag_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "Response"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResponseTag" ADD CONSTRAINT "ResponseTag_tagId_fkey" FOREIGN KEY ("tagId") REFERENCES "Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResponseProject" ADD CONSTRAINT "ResponseProject_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "Response"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResponseProject" ADD CONSTRAINT "ResponseProject_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResponseProperty" ADD CONSTRAINT "ResponseProperty_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "Response"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Tag" ADD CONSTRAINT "Tag_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Tag" ADD CONSTRAINT "Tag_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Tag"("id") ON DELETE SET NULL ON UPDATE CASCADE;

