-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('viewer', 'operator', 'approver', 'admin');

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT,
    "role" "Role" NOT NULL DEFAULT 'viewer',
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VendorKey" (
    "id" UUID NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "userIds" TEXT[],
    "algorithm" TEXT NOT NULL,
    "armored" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "addedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removedAt" TIMESTAMP(3),

    CONSTRAINT "VendorKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SshIdentity" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "publicKey" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "encryptedPrivateKey" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SshIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Archive" (
    "id" UUID NOT NULL,
    "fileName" TEXT NOT NULL,
    "storedPath" TEXT,
    "signaturePath" TEXT,
    "version" TEXT,
    "kind" TEXT,
    "sizeBytes" BIGINT NOT NULL DEFAULT 0,
    "sha256" TEXT,
    "status" TEXT NOT NULL,
    "refusalCode" TEXT,
    "refusalReason" TEXT,
    "signerFingerprint" TEXT,
    "signerUserId" TEXT,
    "signedAt" TIMESTAMP(3),
    "format" TEXT,
    "uploadedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "verifiedAt" TIMESTAMP(3),

    CONSTRAINT "Archive_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Cluster" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Cluster_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Appliance" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "sshPort" INTEGER NOT NULL DEFAULT 22,
    "restUrl" TEXT NOT NULL,
    "sshIdentityId" UUID NOT NULL,
    "restUsername" TEXT NOT NULL,
    "restPasswordEncrypted" TEXT NOT NULL,
    "sshHostKeyFingerprint" TEXT NOT NULL,
    "restCertFingerprint" TEXT NOT NULL,
    "restCertPem" TEXT NOT NULL,
    "version" TEXT,
    "model" TEXT,
    "clusterId" UUID,
    "status" TEXT NOT NULL DEFAULT 'unknown',
    "statusReason" TEXT,
    "lastContactAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Appliance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UpgradePlan" (
    "id" UUID NOT NULL,
    "method" TEXT NOT NULL,
    "applianceId" UUID NOT NULL,
    "fromVersion" TEXT NOT NULL,
    "targetVersion" TEXT NOT NULL,
    "hops" JSONB NOT NULL,
    "state" TEXT NOT NULL,
    "stateReason" TEXT,
    "overrideReason" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "prechecksAt" TIMESTAMP(3),
    "launchedBy" TEXT,
    "launchedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "lastEventSeq" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "UpgradePlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApplianceLock" (
    "applianceId" UUID NOT NULL,
    "planId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApplianceLock_pkey" PRIMARY KEY ("applianceId")
);

-- CreateTable
CREATE TABLE "Step" (
    "id" UUID NOT NULL,
    "planId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "applianceId" UUID,
    "hop" INTEGER NOT NULL DEFAULT 0,
    "dependsOn" TEXT[],
    "deadlineSeconds" INTEGER NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "outcome" TEXT,
    "output" TEXT NOT NULL DEFAULT '',
    "observed" JSONB,
    "progress" JSONB,
    "leaseUntil" TIMESTAMP(3),

    CONSTRAINT "Step_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Precheck" (
    "id" UUID NOT NULL,
    "planId" UUID NOT NULL,
    "applianceId" UUID NOT NULL,
    "checkId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "evidence" TEXT NOT NULL,
    "remedy" TEXT,
    "ruleIds" TEXT[],
    "takenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Precheck_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BackupConfirmation" (
    "id" UUID NOT NULL,
    "planId" UUID NOT NULL,
    "applianceId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "remoteBackupId" TEXT,
    "backupPath" TEXT,
    "backupSha256" TEXT,
    "backupBytes" BIGINT,
    "keyPath" TEXT,
    "keySha256" TEXT,
    "applianceVersion" TEXT,
    "attestation" TEXT,
    "confirmedBy" TEXT NOT NULL,
    "confirmedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BackupConfirmation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanEvent" (
    "id" BIGSERIAL NOT NULL,
    "planId" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "stepKey" TEXT,
    "data" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlanEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorType" TEXT NOT NULL,
    "actorId" TEXT,
    "actorName" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subjectType" TEXT,
    "subjectId" TEXT,
    "data" JSONB NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReleaseCatalog" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "data" JSONB NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReleaseCatalog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "VendorKey_fingerprint_key" ON "VendorKey"("fingerprint");

-- CreateIndex
CREATE UNIQUE INDEX "SshIdentity_name_key" ON "SshIdentity"("name");

-- CreateIndex
CREATE INDEX "Archive_status_version_idx" ON "Archive"("status", "version");

-- CreateIndex
CREATE UNIQUE INDEX "Cluster_name_key" ON "Cluster"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Appliance_name_key" ON "Appliance"("name");

-- CreateIndex
CREATE INDEX "UpgradePlan_applianceId_createdAt_idx" ON "UpgradePlan"("applianceId", "createdAt");

-- CreateIndex
CREATE INDEX "UpgradePlan_state_idx" ON "UpgradePlan"("state");

-- CreateIndex
CREATE INDEX "Step_state_idx" ON "Step"("state");

-- CreateIndex
CREATE UNIQUE INDEX "Step_planId_key_key" ON "Step"("planId", "key");

-- CreateIndex
CREATE INDEX "Precheck_planId_idx" ON "Precheck"("planId");

-- CreateIndex
CREATE INDEX "BackupConfirmation_planId_idx" ON "BackupConfirmation"("planId");

-- CreateIndex
CREATE UNIQUE INDEX "PlanEvent_planId_seq_key" ON "PlanEvent"("planId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_hash_key" ON "AuditEvent"("hash");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "AuditEvent_subjectType_subjectId_idx" ON "AuditEvent"("subjectType", "subjectId");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Appliance" ADD CONSTRAINT "Appliance_sshIdentityId_fkey" FOREIGN KEY ("sshIdentityId") REFERENCES "SshIdentity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Appliance" ADD CONSTRAINT "Appliance_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpgradePlan" ADD CONSTRAINT "UpgradePlan_applianceId_fkey" FOREIGN KEY ("applianceId") REFERENCES "Appliance"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Step" ADD CONSTRAINT "Step_planId_fkey" FOREIGN KEY ("planId") REFERENCES "UpgradePlan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Precheck" ADD CONSTRAINT "Precheck_planId_fkey" FOREIGN KEY ("planId") REFERENCES "UpgradePlan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BackupConfirmation" ADD CONSTRAINT "BackupConfirmation_planId_fkey" FOREIGN KEY ("planId") REFERENCES "UpgradePlan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanEvent" ADD CONSTRAINT "PlanEvent_planId_fkey" FOREIGN KEY ("planId") REFERENCES "UpgradePlan"("id") ON DELETE CASCADE ON UPDATE CASCADE;
