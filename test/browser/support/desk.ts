// The agent desk as a test drives it.
import type { Page } from "playwright-core";

/** Waits for the live socket, then switches the desk to Online and waits for the server to agree. */
export async function goOnline(desk: Page) {
  await desk.locator('[data-socket-state="open"]').waitFor();
  const saved = desk.waitForResponse((res) => res.url().endsWith("/api/v1/video-calls/agents/status") && res.ok());
  await desk.getByRole("radio", { name: "Online" }).check();
  await saved;
}
