-- AlterTable
ALTER TABLE "UpgradePlan" ADD COLUMN     "acknowledgement" TEXT;
