// Step kind -> handler. Kinds without a handler here (cluster steps) fail loudly if ever run.
import type { StepContext, StepOutcome } from "../step-context";
import { backup } from "./backup";
import { disableRest, enableRest } from "./client-traffic";
import { createCluster, deleteCluster, joinClusterStep, removeNode } from "./cluster-membership";
import { operatorConfirm } from "./operator-confirm";
import { runDowngrade } from "./run-downgrade";
import { cleanup } from "./cleanup";
import { diskCheck } from "./disk-check";
import { factoryReset, restoreBackup } from "./factory-reset";
import { postcheck } from "./postcheck";
import { precheck } from "./precheck";
import { reboot } from "./reboot";
import { runUpgrade } from "./run-upgrade";
import { uploadArchive } from "./upload-archive";
import { verifyUpload } from "./verify-upload";
import { waitReturn } from "./wait-return";

export const STEP_HANDLERS: Partial<Record<string, (ctx: StepContext) => Promise<StepOutcome>>> = {
  precheck,
  backup,
  "upload-archive": uploadArchive,
  "verify-upload": verifyUpload,
  "disk-check": diskCheck,
  "run-upgrade": runUpgrade,
  reboot,
  "wait-return": waitReturn,
  postcheck,
  cleanup,
  "operator-confirm": operatorConfirm,
  "disable-rest": disableRest,
  "enable-rest": enableRest,
  "run-downgrade": runDowngrade,
  "remove-node": removeNode,
  "delete-cluster": deleteCluster,
  "create-cluster": createCluster,
  "join-cluster": joinClusterStep,
  "factory-reset": factoryReset,
  "restore-backup": restoreBackup,
};
