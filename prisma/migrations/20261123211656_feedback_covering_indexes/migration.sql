-- DropIndex
DROP INDEX "Response_workspaceId_feedbackDate_id_idx";

-- DropIndex
DROP INDEX "ResponseTag_tagId_feedbackDate_responseId_idx";

-- DropIndex
DROP INDEX "ResponseProject_projectId_feedbackDate_responseId_idx";

-- AlterTable
ALTER TABLE "ResponseTag" ADD COLUMN     "sentiment" "Sentiment";

-- CreateIndex
CREATE INDEX "Response_workspaceId_feedbackDate_id_metricType_score_senti_idx" ON "Response"("workspaceId", "feedbackDate" DESC, "id" DESC, "metricType", "score", "sentiment");

-- CreateIndex
CREATE INDEX "ResponseTag_tagId_feedbackDate_responseId_idx" ON "ResponseTag"("tagId", "feedbackDate" DESC, "responseId" DESC);

-- CreateIndex
CREATE INDEX "ResponseTag_tagId_sentiment_idx" ON "ResponseTag"("tagId", "sentiment");

-- CreateIndex
CREATE INDEX "ResponseProject_projectId_feedbackDate_responseId_idx" ON "ResponseProject"("projectId", "feedbackDate" DESC, "responseId" DESC);

