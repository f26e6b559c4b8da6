// Recording a video call (API.md "Upload the call's recording"): tenants opt in; the recording is
// kept like a document (sealed in R2, keep-upload.ts) and its SHA-256 enters the completion's
// audit record, so it must arrive before the call is completed.
import type { Principal } from "../auth/principal.ts";
import { can } from "../auth/permissions.ts";
import { configFrom } from "../config.ts";
import { insertRecording } from "../db/call-recordings.ts";
import { database } from "../db/client.ts";
import { tenantSettings } from "../db/tenants.ts";
import { keepUpload, type UploadKind } from "../documents/keep-upload.ts";
import { sniffRecordingType, type RecordingMediaType } from "../documents/media-type.ts";
import { ApiError, conflict, forbidden } from "../http/errors.ts";
import { verificationDataKey } from "../lifecycle/keys.ts";
import type { CallView } from "../schemas/messages.ts";

const recordingUpload = (maxBytes: number, tenantId: string, call: CallView): UploadKind<RecordingMediaType, null> => ({
  maxBytes,
  requiredFields: [],
  fields: () => null,
  mediaType: sniffRecordingType,
  unsupported: () => new ApiError(415, "unsupported_media_type", "Recordings must be WebM, MP4 or Ogg."),
  objectKey: (id) => `tenants/${tenantId}/calls/${call.id}/recording-${id}`,
  idMetadata: "recording_id",
  sealingKey: (env) => verificationDataKey(env, tenantId, call.verification_id),
});

const CLOSED: ReadonlySet<CallView["status"]> = new Set(["completed", "cancelled", "abandoned"]);

/** Stores the recording uploaded in `request` for `call` (its agent, or a manager); the answer is
 * API.md's RecordingResponse. */
export async function recordRecording(env: Env, who: Principal, call: CallView, request: Request) {
  if (call.assigned_agent_id !== who.userId && !can(who.role, "video_calls.manage")) throw forbidden("video_calls.manage");
  const db = database(env.DB);
  const settings = await tenantSettings(db, who.tenantId);
  if (!settings.recording_enabled) throw conflict("recording_disabled", "Call recording is off for this organisation.");
  if (CLOSED.has(call.status)) throw conflict("call_closed", "Upload the recording before completing the call.");
  const kind = recordingUpload(configFrom(env).maxRecordingBytes, who.tenantId, call);
  return keepUpload(env, request, kind, async (upload) => {
    await insertRecording(db, {
      id: upload.id,
      tenantId: who.tenantId,
      callId: call.id,
      objectKey: upload.objectKey,
      contentType: upload.mediaType,
      size: upload.size,
      sha256: upload.sha256,
      createdAt: Date.now(),
    });
    return { recording_id: upload.id, sha256: upload.sha256, size: upload.size, content_type: upload.mediaType };
  });
}
