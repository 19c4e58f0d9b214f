import fs from "node:fs";
import http from "node:http";
import type { Context } from "../context.ts";
import { runCommand } from "./commands.ts";

/**
 * The server's control socket: a Unix socket under the data directory (mode 0600, so only the
 * account running motcua reaches it) through which the CLI runs its commands inside the server
 * process while that process holds the embedded database.
 */
export async function startControlServer(ctx: Context, socketPath: string): Promise<() => Promise<void>> {
  try {
    fs.unlinkSync(socketPath); // left by a process that died; the data-dir lock says we own it now
  } catch {
    // none
  }
  const server = http.createServer((req, res) => {
    if (req.method !== "POST" || req.url !== "/run") {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        let output = "";
        let exitCode: number;
        try {
          const { argv, cwd } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { argv: unknown; cwd?: unknown };
          if (!Array.isArray(argv) || !argv.every((a) => typeof a === "string")) throw new Error("argv must be strings");
          // Paths the operator gives are relative to where they ran the command, not to the server's directory.
          exitCode = await runCommand(ctx, argv, { write: (t) => (output += t), ...(typeof cwd === "string" ? { cwd } : {}) });
        } catch (err) {
          ctx.logger.error({ err }, "control command failed");
          output += `error: ${(err as Error).message}\n`;
          exitCode = 1;
        }
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ exitCode, output }));
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve());
  });
  fs.chmodSync(socketPath, 0o600);
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
}

/** Runs a command in the server that owns the control socket, as if in directory `cwd`. */
export function runRemote(socketPath: string, argv: string[], cwd?: string): Promise<{ exitCode: number; output: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, path: "/run", method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as { exitCode: number; output: string });
        } catch (err) {
          reject(err as Error);
        }
      });
    });
    req.on("error", reject);
    req.end(JSON.stringify({ argv, ...(cwd ? { cwd } : {}) }));
  });
}
