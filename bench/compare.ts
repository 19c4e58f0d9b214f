// Two checkouts compared at the same time on the same machine: `node --import tsx bench/compare.ts
// --base=../other-checkout --keep-db=NAME [--duration=5 --rounds=3 --only=lookups,search]`. The other checkout's
// server (A) and this one's (B) run side by side on one kept PostgreSQL database (loaded by `bench/dossiers.ts
// --keep-db=NAME`; the search's 10,000 procedures are added to it once), and each figure is measured in
// alternation, A B then B A, so a machine whose speed drifts (one shared with other work) slows both alike: the
// figure is B/A, the medians' ratio. Every request is driven by wrk (`apt-get install -y wrk`).
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { generateDistinctQueries } from "./lib/catalog-dataset.ts";
import { lookupSample, SUBMIT_AGENCIES, SUBMIT_PROCEDURE_CODE } from "./lib/dossier-dataset.ts";
import { type Figure, measureWrk, type Server, startServer } from "./lib/harness.ts";

const argv = process.argv.slice(2);
const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split("=").slice(1).join("=");
const baseDir = get("base");
const keep = get("keep-db");
if (!baseDir || !keep) throw new Error("usage: bench/compare.ts --base=<other checkout> --keep-db=<database loaded by bench/dossiers.ts>");
const seconds = Number(get("duration") ?? 5);
const rounds = Number(get("rounds") ?? 3);
const only = get("only")?.split(",");
const pgUrl = get("pg") ?? "postgres://postgres@127.0.0.1:5432/postgres";

// Every search is different (the cache of repeated searches is off besides), and the lookups are not throttled (one address).
const env = { MOTCUA_LOOKUP_PER_MINUTE: "10000000", MOTCUA_SEARCH_CACHE_SECONDS: "0" };
const other = (await import(path.resolve(baseDir, "bench/lib/harness.ts"))) as { startServer: typeof startServer };
const A: Server = await other.startServer("motcua", "postgres", pgUrl, env, keep);
const B: Server = await startServer("motcua", "postgres", pgUrl, env, keep);
try {
  const tokensOf = async (s: Server) => ((await (await fetch(`${s.url}/bench/dossiers/setup`, { method: "POST" })).json()) as { tokens: Record<string, string> }).tokens;
  const tokens = new Map([[A, await tokensOf(A)], [B, await tokensOf(B)]]);
  const client = new pg.Client({ connectionString: B.databaseUrl! });
  await client.connect();
  const exec = async (s: string) => (await client.query(s)).rows as Array<Record<string, unknown>>;
  const sample = await lookupSample(exec, 5000);
  if (Number((await exec(`SELECT count(*)::int AS n FROM procedures`))[0]!.n) < 10_000) {
    const loaded = await fetch(`${B.url}/bench/catalog/load?n=10000`, { method: "POST" });
    if (!loaded.ok) throw new Error(`loading the catalogue: ${loaded.status}`);
  }
  await client.end();
  const queries = generateDistinctQueries(100_000);
  // Spread over the bench's centres (bench/lib/dossier-dataset.ts SUBMIT_AGENCIES): a base checkout from before
  // they existed files at them only if its harness knows `picks` and the kept database has them (B's setup makes them).
  const submission = JSON.stringify({ procedureCode: SUBMIT_PROCEDURE_CODE, agencyCode: "__PICK__", formData: { hoTen: "Nguyễn Thị Mai", soCccd: "001199000001" }, submit: true, requestId: "__UUID__" });
  const base = { connections: 50, duration: seconds, warmup: 1 };
  const bearer = (s: Server, user: string) => ({ authorization: `Bearer ${tokens.get(s)![user]}` });
  const cases: Array<{ name: string; run: (s: Server) => Promise<Figure> }> = [
    { name: "healthz", run: (s) => measureWrk({ ...base, url: `${s.url}/healthz` }) },
    { name: "tokens", run: (s) => measureWrk({ ...base, url: `${s.url}/api/me`, headers: bearer(s, "001199000001") }) },
    { name: "lookups", run: (s) => measureWrk({ ...base, url: s.url, paths: sample.map((l) => `/api/lookup/${encodeURIComponent(l.code)}?key=${l.key}`) }) },
    { name: "queue-new", run: (s) => measureWrk({ ...base, url: `${s.url}/api/office/dossiers?queue=new`, headers: bearer(s, "tiepnhan") }) },
    { name: "queue-processing", run: (s) => measureWrk({ ...base, url: `${s.url}/api/office/dossiers?queue=processing`, headers: bearer(s, "chuyenvien.tuphap") }) },
    { name: "queue-finished", run: (s) => measureWrk({ ...base, url: `${s.url}/api/office/dossiers?queue=finished`, headers: bearer(s, "tiepnhan") }) },
    { name: "search", run: (s) => measureWrk({ ...base, url: s.url, paths: queries }) },
    {
      name: "submissions",
      run: (s) => measureWrk({ ...base, url: `${s.url}/api/dossiers`, method: "POST", headers: { "content-type": "application/json", ...bearer(s, "001199000001") }, body: submission, picks: SUBMIT_AGENCIES }),
    },
  ];
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`A = ${path.resolve(baseDir)}, B = this checkout; database ${keep}; ${seconds} s per figure, ${rounds} rounds, alternating`);
  for (const c of cases) {
    if (only && !only.includes(c.name)) continue;
    const fa: Figure[] = [];
    const fb: Figure[] = [];
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? [A, B] : [B, A];
      for (const s of order) (s === A ? fa : fb).push(await c.run(s));
    }
    const [ra, rb] = [median(fa.map((f) => f.rps)), median(fb.map((f) => f.rps))];
    const [pa, pb] = [median(fa.map((f) => f.p99)), median(fb.map((f) => f.p99))];
    const failed = [...fa, ...fb].reduce((n, f) => n + f.non2xx + f.errors, 0);
    console.log(
      `${c.name.padEnd(17)} A ${ra.toFixed(0).padStart(6)}/s p99 ${pa.toFixed(1).padStart(7)} ms | B ${rb.toFixed(0).padStart(6)}/s p99 ${pb.toFixed(1).padStart(7)} ms | B/A ${(rb / ra).toFixed(2)}` +
        `  (rounds A ${fa.map((f) => f.rps.toFixed(0)).join(" ")}, B ${fb.map((f) => f.rps.toFixed(0)).join(" ")}; load ${os.loadavg()[0]!.toFixed(1)})${failed ? `; not 2xx or failed: ${failed}` : ""}`,
    );
  }
} finally {
  await A.stop();
  await B.stop();
}
