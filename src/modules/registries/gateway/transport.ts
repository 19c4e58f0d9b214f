// One HTTP request to a registry, with a deadline, over plain HTTP or TLS (with a client certificate for
// mutual TLS). What comes back is the status and the body as JSON, or `undefined` when the body is not JSON;
// a connection refused or reset, or a deadline passed, is a `TransportError`.
import fs from "node:fs";
import { type ClientTls, httpRequest, RequestFailed } from "../../../platform/http/client.ts";

export class TransportError extends Error {
  constructor(readonly reason: "timeout" | "down") {
    super(`registry ${reason}`);
    this.name = "TransportError";
  }
}

export type Tls = ClientTls;

export function readTls(files: { certFile: string; keyFile: string; caFile: string | null }): Tls {
  return { cert: fs.readFileSync(files.certFile), key: fs.readFileSync(files.keyFile), ca: files.caFile ? fs.readFileSync(files.caFile) : null };
}

const MAX_BODY = 2 * 1024 * 1024;

export async function getJson(
  url: URL,
  opts: { headers: Record<string, string>; timeoutMs: number; tls: Tls | null },
): Promise<{ status: number; body: unknown }> {
  let answer;
  try {
    answer = await httpRequest(url, { method: "GET", headers: { accept: "application/json", ...opts.headers }, timeoutMs: opts.timeoutMs, tls: opts.tls, maxBody: MAX_BODY });
  } catch (err) {
    throw err instanceof RequestFailed ? new TransportError(err.reason) : err;
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.body.toString("utf8"));
  } catch {
    body = undefined;
  }
  return { status: answer.status, body };
}
