-- AlterTable
ALTER TABLE "Appliance" ADD COLUMN     "clusterNodeId" TEXT;

-- AlterTable
ALTER TABLE "UpgradePlan" ADD COLUMN     "clusterId" UUID,
ADD COLUMN     "nodes" JSONB NOT NULL DEFAULT '[]';

-- AddForeignKey
ALTER TABLE "UpgradePlan" ADD CONSTRAINT "UpgradePlan_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE SET NULL ON UPDATE CASCADE;
