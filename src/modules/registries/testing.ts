// Test support: `motcua registry-sim` as a child process of the test, spoken to over HTTP only.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { RegistriesConfig, RegistryConnectorConfig } from "../../platform/config/index.ts";
import { LISTENING_PREFIX } from "./sim/command.ts";
import type { FaultMode } from "./sim/server.ts";

const BIN = fileURLToPath(new URL("../../../bin/motcua.js", import.meta.url));

export interface SimProcess {
  url: string;
  child: ChildProcess;
  /** Sets the fault in force (for `count` requests, or until changed). */
  fault(mode: FaultMode, opts?: { latencyMs?: number; count?: number }): Promise<void>;
  /** Requests received per endpoint (`reset` zeroes them). */
  stats(reset?: boolean): Promise<{ token: number; population: number; business: number; civil: number }>;
  /** Identifiers of generated records `offset`… (citizens' CCCDs, businesses' tax codes). */
  ids(kind: "citizens" | "businesses", offset: number, limit: number): Promise<string[]>;
  stop(): Promise<void>;
}

export const SIM_CLIENT = { id: "motcua-test", secret: "bi-mat-cua-phep-thu" } as const;

/** Starts the simulator on a free port of 127.0.0.1 and waits until it listens. */
export async function startSimProcess(opts: { seed?: number; citizens?: number; businesses?: number; tokenTtl?: number } = {}): Promise<SimProcess> {
  const args = [
    BIN, "registry-sim", "--port", "0",
    "--seed", String(opts.seed ?? 1),
    "--citizens", String(opts.citizens ?? 100_000),
    "--businesses", String(opts.businesses ?? 10_000),
    "--clients", `${SIM_CLIENT.id}:${SIM_CLIENT.secret}`,
    "--token-ttl", String(opts.tokenTtl ?? 300),
    "--stop-with-stdin", "yes",
  ];
  const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "pipe"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const line = out.split("\n").find((l) => l.startsWith(LISTENING_PREFIX));
      if (line) resolve(line.slice(LISTENING_PREFIX.length).trim());
    });
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
    child.once("exit", (code) => reject(new Error(`registry-sim exited (${code}): ${err}`)));
  });
  const admin = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${url}${path}`, init);
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return res.json() as Promise<unknown>;
  };
  return {
    url,
    child,
    fault: async (mode, o = {}) => {
      await admin("/admin/faults", { method: "POST", body: JSON.stringify({ mode, ...o }) });
    },
    stats: (reset) => admin("/admin/stats", { method: reset ? "DELETE" : "GET" }) as ReturnType<SimProcess["stats"]>,
    ids: async (kind, offset, limit) => ((await admin(`/admin/${kind}?offset=${offset}&limit=${limit}`)) as { items: string[] }).items,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Connectors of all three registries to a simulator, with `overrides` (short timeouts, no retries…). */
export function simRegistries(url: string, overrides: Partial<RegistryConnectorConfig> = {}, breaker = { failures: 5, resetMs: 30_000 }): RegistriesConfig {
  const connector: RegistryConnectorConfig = {
    baseUrl: url,
    auth: { kind: "oauth2", tokenUrl: `${url}/oauth/token`, clientId: SIM_CLIENT.id, clientSecret: SIM_CLIENT.secret, scope: null },
    timeoutMs: 2000,
    retries: 2,
    perMinute: 10_000,
    fields: {},
    ...overrides,
  };
  return { connectors: { population: connector, business: connector, civil_status: connector }, breaker, simulate: false };
}
