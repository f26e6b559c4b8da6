// Builders for the records most tests need: a customer's verification with documents.
import { callJson, login, type Json } from "./api.ts";
import { documentForm, pngBytes } from "./files.ts";

export async function createVerification(customerEmail = "customer1@demo.test", userInfo?: Json) {
  const token = await login(customerEmail);
  const { status, body } = await callJson("/verifications", {
    token,
    json: userInfo ? { user_info: userInfo } : {},
  });
  if (status !== 201) throw new Error(`create verification: ${status} ${JSON.stringify(body)}`);
  return { id: body.id as string, token };
}

export async function uploadDocument(token: string, verificationId: string, bytes = pngBytes(), docType = "passport") {
  return callJson(`/verifications/${verificationId}/documents`, {
    token,
    body: documentForm(bytes, { doc_type: docType }),
  });
}
