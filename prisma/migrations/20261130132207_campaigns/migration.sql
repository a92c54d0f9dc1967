-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "Appliance" ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "UpgradePlan" ADD COLUMN     "campaignTargetId" UUID;

-- CreateTable
CREATE TABLE "Campaign" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "targetVersion" TEXT NOT NULL,
    "selection" JSONB NOT NULL,
    "policy" JSONB NOT NULL,
    "waveConfig" JSONB NOT NULL,
    "distribution" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'draft',
    "stateReason" TEXT,
    "currentWave" INTEGER NOT NULL DEFAULT 0,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "launchedBy" TEXT,
    "launchedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CampaignWave" (
    "id" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "canary" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "stateReason" TEXT,
    "approvedBy" TEXT,
    "approvedAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "soakUntil" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "CampaignWave_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CampaignTarget" (
    "id" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "clusterId" UUID,
    "applianceId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "site" TEXT,
    "fromVersion" TEXT,
    "wave" INTEGER,
    "method" TEXT,
    "planId" UUID,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "reason" TEXT,
    "distributedAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "CampaignTarget_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Campaign_name_key" ON "Campaign"("name");

-- CreateIndex
CREATE INDEX "Campaign_state_idx" ON "Campaign"("state");

-- CreateIndex
CREATE UNIQUE INDEX "CampaignWave_campaignId_index_key" ON "CampaignWave"("campaignId", "index");

-- CreateIndex
CREATE UNIQUE INDEX "CampaignTarget_planId_key" ON "CampaignTarget"("planId");

-- CreateIndex
CREATE INDEX "CampaignTarget_campaignId_state_idx" ON "CampaignTarget"("campaignId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "CampaignTarget_campaignId_applianceId_key" ON "CampaignTarget"("campaignId", "applianceId");

-- CreateIndex
CREATE UNIQUE INDEX "UpgradePlan_campaignTargetId_key" ON "UpgradePlan"("campaignTargetId");

-- AddForeignKey
ALTER TABLE "CampaignWave" ADD CONSTRAINT "CampaignWave_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignTarget" ADD CONSTRAINT "CampaignTarget_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;
