// `motcua registry-sim` as a child process: what the demo's `npm start` and the tests run. The child ends with
// its parent (its stdin pipe closes then), so a killed parent leaves no simulator behind.
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import { fileURLToPath } from "node:url";
import type { Config, RegistriesConfig, RegistryConnectorConfig } from "../../../platform/config/index.ts";
import { LISTENING_PREFIX } from "./command.ts";

const BIN = fileURLToPath(new URL("../../../../bin/motcua.js", import.meta.url));

export interface SimChild {
  child: ChildProcess;
  /** Resolves with the simulator's base URL once it listens; rejects if it exits first. */
  ready: Promise<string>;
  /** SIGTERM, then waits for it to exit. */
  stop(): Promise<void>;
}

export function spawnRegistrySim(args: string[]): SimChild {
  const child = spawn(process.execPath, [BIN, "registry-sim", ...args, "--stop-with-stdin", "yes"], { stdio: ["pipe", "pipe", "pipe"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = new Promise<string>((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const line = out.split("\n").find((l) => l.startsWith(LISTENING_PREFIX));
      if (line) resolve(line.slice(LISTENING_PREFIX.length).trim());
    });
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (err = (err + chunk).slice(-4000)));
    child.once("exit", (code) => reject(new Error(`registry-sim exited (${code}): ${err}`)));
  });
  ready.catch(() => {});
  return {
    child,
    ready,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** The three connectors pointed at one simulator, with its client's credentials. */
export function registriesAt(url: string, client: { id: string; secret: string }, base: Pick<RegistriesConfig, "breaker" | "covertPurposes" | "rights">, overrides: Partial<RegistryConnectorConfig> = {}): RegistriesConfig {
  const connector: RegistryConnectorConfig = {
    baseUrl: url,
    auth: { kind: "oauth2", tokenUrl: `${url}/oauth/token`, clientId: client.id, clientSecret: client.secret, scope: null },
    timeoutMs: 5000,
    retries: 2,
    perMinute: 600,
    fields: {},
    ...overrides,
  };
  return { connectors: { population: connector, business: connector, civil_status: connector }, breaker: base.breaker, simulate: true, ...(base.covertPurposes ? { covertPurposes: base.covertPurposes } : {}), ...(base.rights ? { rights: base.rights } : {}) };
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The demo's registries (`npm start` with MOTCUA_REGISTRY_SIM on, the default for the demo when no registry is
 * configured): `motcua registry-sim` started beside the node, its connectors configured at once so the start does
 * not wait for it; a look-up in the seconds before it listens finds the registry down, as it would.
 */
export async function startDemoRegistries(config: Config, client: { id: string; secret: string }): Promise<{ config: Config; url: string; sim: SimChild }> {
  const port = await freeLoopbackPort();
  const sim = spawnRegistrySim(["--port", String(port), "--clients", `${client.id}:${client.secret}`]);
  const url = `http://127.0.0.1:${port}`;
  return { config: { ...config, registries: registriesAt(url, client, config.registries) }, url, sim };
}
