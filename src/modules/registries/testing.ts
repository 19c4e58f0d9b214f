// Test support: `motcua registry-sim` as a child process of the test, spoken to over HTTP only.
import type { ChildProcess } from "node:child_process";
import type { RegistriesConfig, RegistryConnectorConfig } from "../../platform/config/index.ts";
import { registriesAt, spawnRegistrySim } from "./sim/child.ts";
import type { FaultMode } from "./sim/server.ts";

export interface SimProcess {
  url: string;
  child: ChildProcess;
  /** Sets the fault in force (for `count` requests, or until changed). */
  fault(mode: FaultMode, opts?: { latencyMs?: number; count?: number }): Promise<void>;
  /** Requests received per endpoint (`reset` zeroes them). */
  stats(reset?: boolean): Promise<{ token: number; population: number; business: number; civil: number }>;
  /** Identifiers of generated records `offset`… (citizens' CCCDs, businesses' tax codes). */
  ids(kind: "citizens" | "businesses", offset: number, limit: number): Promise<string[]>;
  /** Forgets the key its tokens were signed with: every token issued so far is refused (401). */
  rotateKey(): Promise<void>;
  stop(): Promise<void>;
}

export const SIM_CLIENT = { id: "motcua-test", secret: "bi-mat-cua-phep-thu" } as const;

/** Starts the simulator on a free port of 127.0.0.1 and waits until it listens. */
export async function startSimProcess(opts: { seed?: number; citizens?: number; businesses?: number; tokenTtl?: number } = {}): Promise<SimProcess> {
  const sim = spawnRegistrySim([
    "--port", "0",
    "--seed", String(opts.seed ?? 1),
    "--citizens", String(opts.citizens ?? 100_000),
    "--businesses", String(opts.businesses ?? 10_000),
    "--clients", `${SIM_CLIENT.id}:${SIM_CLIENT.secret}`,
    "--token-ttl", String(opts.tokenTtl ?? 300),
  ]);
  const url = await sim.ready;
  const admin = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${url}${path}`, init);
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return res.json() as Promise<unknown>;
  };
  return {
    url,
    child: sim.child,
    fault: async (mode, o = {}) => {
      await admin("/admin/faults", { method: "POST", body: JSON.stringify({ mode, ...o }) });
    },
    stats: (reset) => admin("/admin/stats", { method: reset ? "DELETE" : "GET" }) as ReturnType<SimProcess["stats"]>,
    ids: async (kind, offset, limit) => ((await admin(`/admin/${kind}?offset=${offset}&limit=${limit}`)) as { items: string[] }).items,
    rotateKey: async () => {
      await admin("/admin/rotate-key", { method: "POST" });
    },
    stop: sim.stop,
  };
}

/** Connectors of all three registries to a simulator, with `overrides` (short timeouts, no retries…). */
export function simRegistries(url: string, overrides: Partial<RegistryConnectorConfig> = {}, breaker = { failures: 5, resetMs: 30_000 }): RegistriesConfig {
  return { ...registriesAt(url, SIM_CLIENT, { breaker }, { timeoutMs: 2000, perMinute: 10_000, ...overrides }), simulate: false };
}
