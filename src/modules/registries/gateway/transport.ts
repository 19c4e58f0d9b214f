// One HTTP request to a registry, with a deadline, over plain HTTP or TLS (with a client certificate for
// mutual TLS). What comes back is the status and the body as JSON, or `undefined` when the body is not JSON;
// a connection refused or reset, or a deadline passed, is a `TransportError`.
import fs from "node:fs";
import http from "node:http";
import https from "node:https";

export class TransportError extends Error {
  constructor(readonly reason: "timeout" | "down") {
    super(`registry ${reason}`);
    this.name = "TransportError";
  }
}

export interface Tls {
  cert: Buffer;
  key: Buffer;
  ca: Buffer | null;
}

export function readTls(files: { certFile: string; keyFile: string; caFile: string | null }): Tls {
  return { cert: fs.readFileSync(files.certFile), key: fs.readFileSync(files.keyFile), ca: files.caFile ? fs.readFileSync(files.caFile) : null };
}

const MAX_BODY = 2 * 1024 * 1024;

export function getJson(
  url: URL,
  opts: { headers: Record<string, string>; timeoutMs: number; tls: Tls | null },
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === "https:";
    const tls = secure && opts.tls ? { cert: opts.tls.cert, key: opts.tls.key, ...(opts.tls.ca ? { ca: opts.tls.ca } : {}) } : {};
    const req = (secure ? https : http).request(url, { method: "GET", headers: { accept: "application/json", ...opts.headers }, ...tls });
    const timer = setTimeout(() => {
      req.destroy(new TransportError("timeout"));
    }, opts.timeoutMs);
    req.on("error", (err) => {
      clearTimeout(timer);
      reject(err instanceof TransportError ? err : new TransportError("down"));
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) req.destroy(new TransportError("down"));
        else chunks.push(chunk);
      });
      res.on("end", () => {
        clearTimeout(timer);
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on("error", () => {
        clearTimeout(timer);
        reject(new TransportError("down"));
      });
    });
    req.end();
  });
}
