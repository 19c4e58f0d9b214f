// Several motcua nodes on one PostgreSQL database, each a real `motcua` process started from the same
// configuration (only the port differs), as a province runs them behind its load balancer.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./net.ts";

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/motcua.js");

export interface Node {
  role: "web" | "worker" | "start";
  /** http://127.0.0.1:port (web and start nodes). */
  url: string;
  process: ChildProcess;
  /** The last lines it printed (for a failing test's message). */
  output(): string;
  /** Resolves with its exit code once it has exited. */
  exited: Promise<number | null>;
  /** SIGTERM: it stops taking requests, lets those in flight finish, and exits. */
  stop(): Promise<number | null>;
}

/**
 * Starts `motcua <role>` with `env` (the shared configuration) on a port of its own (or `opts.port`: a node started
 * again where its peers know it); resolves once it serves.
 */
export async function startNode(role: Node["role"], env: Record<string, string>, opts: { port?: number } = {}): Promise<Node> {
  const port = opts.port ?? (await freePort());
  const child = spawn(process.execPath, [BIN, role], {
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let workerStarted = false;
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line) continue;
      if (line.includes("job worker started")) workerStarted = true;
      lines.push(line);
      if (lines.length > 200) lines.shift();
    }
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const node: Node = {
    role,
    url: `http://127.0.0.1:${port}`,
    process: child,
    output: () => lines.join("\n"),
    exited,
    stop: async () => {
      if (!gone) child.kill("SIGTERM");
      return exited;
    },
  };
  const until = Date.now() + 60_000;
  for (;;) {
    if (gone) throw new Error(`motcua ${role} exited while starting:\n${node.output()}`);
    if (Date.now() > until) {
      child.kill("SIGKILL");
      throw new Error(`motcua ${role} did not start within a minute:\n${node.output()}`);
    }
    if (role === "worker") {
      if (workerStarted) return node;
    } else {
      const ok = await fetch(`${node.url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return node;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Cookies kept across requests to any node, as a browser behind the balancer keeps them. */
export class Jar {
  readonly cookies = new Map<string, string>();
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(";")[0]!;
      const eq = pair.indexOf("=");
      const value = pair.slice(eq + 1);
      if (value === "") this.cookies.delete(pair.slice(0, eq));
      else this.cookies.set(pair.slice(0, eq), value);
    }
  }
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), cookie: this.header() } });
    this.keep(res);
    return res;
  }
  /** A form post with the CSRF token (double submit: the cookie's value) the pages give. */
  async post(url: string, form: Record<string, string>): Promise<Response> {
    if (!this.cookies.has("motcua_csrf")) await (await this.fetch(url)).arrayBuffer();
    return this.fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: this.cookies.get("motcua_csrf") ?? "", ...form }),
    });
  }
}

/** Waits (bounded) until `check` resolves true; fails naming `what` when it never does. */
export async function eventually(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`never happened within ${ms / 1000} s: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
