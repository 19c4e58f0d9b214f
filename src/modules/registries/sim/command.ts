// `motcua registry-sim`: the simulated national registries as a process of their own, speaking HTTP like the
// remote ones. It needs no database: it runs before one is opened (an offline command), so it never runs inside
// a running server.
import fs from "node:fs";
import path from "node:path";
import { type OfflineCommand, parseArgs, UsageError } from "../../../platform/cli.ts";
import { readDemoAccounts } from "../../identity/index.ts";
import type { FaultMode } from "./server.ts";

/** The simulator itself (its server, population and register), imported when the command runs, not by every process. */
const simulator = () => Promise.all([import("./businesses.ts"), import("./people.ts"), import("./places.ts"), import("./server.ts")]);

/** The client the demo configures when it starts the simulator itself. */
export const DEMO_CLIENT = { id: "motcua", secret: "motcua-registry-sim-demo" } as const;

/** The line the simulator prints once it listens: a parent process reads the address from it. */
export const LISTENING_PREFIX = "registry-sim listening on ";

const FLAGS = ["--port", "--host", "--seed", "--citizens", "--businesses", "--clients", "--token-ttl", "--fault", "--latency-ms", "--stop-with-stdin", "--tls-cert", "--tls-key", "--tls-client-ca"] as const;

function whole(options: Map<string, string>, flag: string, fallback: number, min: number, max: number): number {
  const raw = options.get(flag);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}`);
  return Number(raw);
}

export const registrySimCommand: OfflineCommand = {
  words: ["registry-sim"],
  usage:
    "motcua registry-sim [--port 4100] [--host 127.0.0.1] [--seed 1] [--citizens 100000] [--businesses 10000] [--clients id:secret,…] [--token-ttl 300] [--fault none|slow|error|garbage|down] [--latency-ms 0] [--tls-cert server.pem --tls-key server.key [--tls-client-ca ca.pem]]",
  summary: "run simulated population, business and civil-status registries over HTTP",
  async run(_config, args, out) {
    const [{ makeRegister }, { makePopulation }, { loadPlaces }, { FAULT_MODES, startRegistrySim }] = await simulator();
    const { options } = parseArgs(args, FLAGS);
    const fault = (options.get("--fault") ?? "none") as FaultMode;
    if (!FAULT_MODES.includes(fault)) throw new UsageError(`--fault must be one of ${FAULT_MODES.join(", ")}`);
    const clients = new Map<string, string>();
    for (const pair of (options.get("--clients") ?? `${DEMO_CLIENT.id}:${DEMO_CLIENT.secret}`).split(",")) {
      const at = pair.indexOf(":");
      if (at < 1 || at === pair.length - 1) throw new UsageError("--clients takes id:secret pairs separated by commas");
      clients.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const seed = whole(options, "--seed", 1, 0, 2 ** 31);
    const read = (flag: string) => {
      const file = options.get(flag);
      return file === undefined ? null : fs.readFileSync(path.resolve(out.cwd ?? process.cwd(), file), "utf8");
    };
    const [cert, key, clientCa] = [read("--tls-cert"), read("--tls-key"), read("--tls-client-ca")];
    if (Boolean(cert) !== Boolean(key) || (clientCa && !cert)) throw new UsageError("--tls-cert and --tls-key go together (and --tls-client-ca needs them)");
    const places = loadPlaces();
    const demo = readDemoAccounts().accounts;
    const population = makePopulation({
      seed,
      size: whole(options, "--citizens", 100_000, 1, 1_000_000),
      places,
      fixed: demo.flatMap((a) => (a.kind === "citizen" && a.birthDate && a.sex ? [{ cccd: a.username, fullName: a.fullName, birthDate: a.birthDate, sex: a.sex }] : [])),
    });
    const register = makeRegister({
      seed,
      size: whole(options, "--businesses", 10_000, 0, 1_000_000),
      population,
      places,
      fixed: demo.flatMap((a) => (a.kind === "business" ? [{ taxCode: a.username, name: a.fullName }] : [])),
    });
    const sim = await startRegistrySim(
      {
        population,
        register,
        clients,
        tokenTtlSeconds: whole(options, "--token-ttl", 300, 1, 86_400),
        fault: { mode: fault, latencyMs: whole(options, "--latency-ms", 0, 0, 600_000), remaining: null },
        ...(cert && key ? { tls: { cert, key, clientCa } } : {}),
      },
      { port: whole(options, "--port", 4100, 0, 65_535), host: options.get("--host") ?? "127.0.0.1" },
    );
    out.write(`${LISTENING_PREFIX}${sim.url}\n`);
    const watchStdin = options.get("--stop-with-stdin") === "yes";
    let stop = () => {};
    await new Promise<void>((resolve) => {
      stop = resolve;
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      // Started by the platform or a test: it ends with its parent, whose pipe closes then.
      if (watchStdin) process.stdin.on("end", stop).on("close", stop).resume();
    });
    process.off("SIGINT", stop).off("SIGTERM", stop);
    if (watchStdin) process.stdin.destroy();
    await sim.close();
    return 0;
  },
};
