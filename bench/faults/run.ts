// Database faults (issue 13, item 1), against a real PostgreSQL of the run's own: a PostgreSQL restart, killed
// backends, a network pause and a full disk, each made while citizens file dossiers on the real `motcua start`
// process. After each, every acknowledged dossier is looked for in the database; the table gives the requests,
// the acknowledged, lost and duplicated dossiers, the slowest failure and the seconds to recover.
//
//   npm run bench:faults [-- --only=restart,terminate,kill,pause,disk --pause=10 --workers=8]
//
// Root only for the full disk: the server's data directory is on a tmpfs mounted for it (256 MB). The load goes to
// 127.0.0.1 only, and every loop is bounded in time.
import { drill, faults, type Figures, type Stack, startStack } from "../../test/helpers/fault-drill.ts";

const argv = process.argv.slice(2);
const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const ALL = ["restart", "terminate", "kill", "pause", "disk"] as const;
type Fault = (typeof ALL)[number];
const only = (get("only")?.split(",") ?? [...ALL]) as Fault[];
for (const f of only) if (!ALL.includes(f)) throw new Error(`--only: no fault named ${f} (${ALL.join(", ")})`);
const pauseSeconds = Number(get("pause") ?? 10);
const workers = Number(get("workers") ?? 8);

const DESCRIPTIONS: Record<Fault, string> = {
  restart: "PostgreSQL restart (pg_ctl restart -m fast)",
  terminate: "pg_terminate_backend of the app's connections",
  kill: "kill -9 of one backend (the server recovers)",
  pause: `network pause of ${pauseSeconds} s (proxy stops forwarding)`,
  disk: "full disk on the data directory (tmpfs), then freed",
};

function faultOf(stack: Stack, f: Fault): () => Promise<void> {
  switch (f) {
    case "restart":
      return faults.restart(stack);
    case "terminate":
      return faults.terminateBackends(stack);
    case "kill":
      return faults.killBackend(stack);
    case "pause":
      return faults.pause(stack, pauseSeconds);
    case "disk":
      return faults.fullDisk(stack, 5);
  }
}

const secs = (s: number | null) => (s === null ? "never" : s.toFixed(2));

function table(rows: Figures[]): string {
  const head = ["fault", "lasted s", "requests", "acknowledged", "lost", "duplicated", "stored unacked", "503 unavailable", "no Retry-After", "other failures", "slowest failure ms", "/healthz said", "s to first ack", "s to /healthz 200", "process"];
  const body = rows.map((r) => [
    r.fault,
    r.faultSeconds.toFixed(1),
    String(r.requests),
    String(r.acknowledged),
    String(r.lost),
    String(r.duplicated),
    String(r.unacknowledgedButStored),
    String(r.unavailable),
    String(r.withoutRetryAfter),
    Object.entries(r.otherFailures).map(([k, n]) => `${k}: ${n}`).join(", ") || "none",
    String(r.slowestFailureMs),
    r.healthReasons.length ? `503 ${r.healthReasons.join("/")}` : "200 throughout",
    secs(r.recoverySeconds),
    secs(r.healthRecoverySeconds),
    r.alive ? "running" : "EXITED",
  ]);
  return [head, head.map(() => "---"), ...body].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

const results: Figures[] = [];
console.log(`database faults: ${only.join(", ")}; ${workers} citizens filing dossiers (request ids retried every 100 ms until acknowledged)`);
const stack = await startStack(only.includes("disk") ? { tmpfsMb: 256 } : {});
// Interrupted: the server process, the PostgreSQL server and its tmpfs go too.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: stopping`);
    void stack.stop().finally(() => process.exit(130));
  });
}
try {
  console.log(`PostgreSQL ${stack.pg.port} (data ${stack.pg.tmpfs ? "on a 256 MB tmpfs" : "in a temporary directory"}), proxy ${stack.proxy.port}, motcua ${stack.server.url}`);
  for (const f of only) {
    const figures = await drill(stack, DESCRIPTIONS[f], faultOf(stack, f), { workers, warmMs: 3000, settleMs: 2000 });
    results.push(figures);
    console.log(`  ${f}: ${figures.acknowledged} acknowledged, ${figures.lost} lost, ${figures.duplicated} duplicated, first acknowledgement ${secs(figures.recoverySeconds)} s after the fault, process ${figures.alive ? "running" : "EXITED"}`);
    if (!figures.alive) {
      console.log(stack.server.output().slice(-4000));
      break;
    }
  }
} finally {
  // What the server logged through the faults: a warning when the database became unavailable and a line when it
  // was back, not one per request.
  const lines = stack.server.output().split("\n").filter((l) => l.startsWith("{"));
  const byMessage = new Map<string, number>();
  for (const line of lines) {
    const { level, msg } = JSON.parse(line) as { level: number; msg: string };
    if (level >= 40 && !msg.startsWith("demo accounts")) byMessage.set(`${level >= 50 ? "error" : "warn"}: ${msg}`, (byMessage.get(`${level >= 50 ? "error" : "warn"}: ${msg}`) ?? 0) + 1);
  }
  console.log("the server's warnings and errors:");
  for (const [msg, n] of byMessage) console.log(`  ${n} × ${msg}`);
  await stack.stop();
}
console.log("");
console.log(table(results));
const bad = results.filter((r) => r.lost > 0 || r.duplicated > 0 || !r.alive || r.recoverySeconds === null);
if (bad.length) {
  console.log(`\nFAILED: ${bad.map((r) => r.fault).join("; ")}`);
  process.exitCode = 1;
}
