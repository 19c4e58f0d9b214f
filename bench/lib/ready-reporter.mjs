// A node:test reporter for bench/test-ready.ts: prints, once, how long after the process started its first test
// began (the moment the file's setup — program load, test database, app, factories — was done), and the CPU time
// the process had used by then (all its threads): on a busy machine the wall time stretches, the CPU time much less.
import { performance } from "node:perf_hooks";
import process from "node:process";

export default async function* readyReporter(source) {
  let said = false;
  for await (const event of source) {
    if (said || (event.type !== "test:pass" && event.type !== "test:fail")) continue;
    if (event.data.details?.type === "suite") continue;
    said = true;
    const { user, system } = process.cpuUsage();
    yield `READY ${(performance.now() - event.data.details.duration_ms).toFixed(0)} CPU ${((user + system) / 1000).toFixed(0)}\n`;
  }
}
