import { AppError } from "@/lib/errors";
import { route, json } from "@/lib/http/route";
import { readArchiveProgress, UploadTicketSchema } from "@/lib/archives/archive-progress";

export const GET = route<{ ticket: string }>("fleet:read", async ({ params }) => {
  const progress = await readArchiveProgress(UploadTicketSchema.parse(params.ticket));
  if (!progress) throw new AppError("not-found", "No upload with this ticket has reported progress yet (progress is kept for an hour).");
  return json(progress);
});
