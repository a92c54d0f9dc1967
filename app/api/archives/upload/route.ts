// The archive is the raw request body (not multipart), so it streams straight through the checks
// to disk. An optional ?ticket=<uuid> names the upload so the browser can poll its progress while
// it waits. A `.tar.gz` signed apart comes with its signature (a few hundred bytes) base64-encoded
// in the X-Detached-Signature header: known before the first byte, it is checked as the data arrives.
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { route, json } from "@/lib/http/route";
import { receiveArchive } from "@/lib/archives/receive-archive";
import { withDeployability } from "@/lib/archives/deployable";
import { UploadTicketSchema } from "@/lib/archives/archive-progress";
import { DETACHED_SIGNATURE_HEADER, parseDetachedSignatureHeader } from "@/lib/archives/detached-signature-header";

export const PUT = route("archives:write", async ({ req, actor }) => {
  const query = new URL(req.url).searchParams;
  const fileName = query.get("name");
  if (!fileName) throw new AppError("bad-input", "name: the archive's file name is required (?name=ks_upgrade_...tar.gz.gpg)");
  if (!req.body) throw new AppError("bad-input", "the request has no body: send the archive file as the body");
  const ticket = query.get("ticket") ? UploadTicketSchema.parse(query.get("ticket")) : undefined;
  const length = req.headers.get("content-length");
  const signature = parseDetachedSignatureHeader(req.headers.get(DETACHED_SIGNATURE_HEADER));
  const archive = await receiveArchive(getDb(), actor, { fileName, body: req.body, declaredBytes: length ? Number(length) : undefined, ticket, signature });
  return json(withDeployability(archive), { status: archive.status === "verified" ? 201 : 422 });
});
