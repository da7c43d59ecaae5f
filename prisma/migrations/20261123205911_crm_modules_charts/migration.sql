-- CreateTable
CREATE TABLE "Chart" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "moduleId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "configuration" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Chart_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Chart_workspaceId_createdAt_idx" ON "Chart"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "Chart_moduleId_idx" ON "Chart"("moduleId");

-- AddForeignKey
ALTER TABLE "Page" ADD CONSTRAINT "Page_moduleId_fkey" FOREIGN KEY ("moduleId") REFERENCES "Collection"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Chart" ADD CONSTRAINT "Chart_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Chart" ADD CONSTRAINT "Chart_moduleId_fkey" FOREIGN KEY ("moduleId") REFERENCES "Collection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

