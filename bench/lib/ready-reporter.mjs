// A node:test reporter for bench/test-ready.ts: prints, once, how long after the process started its first test
// began (the moment the file's setup — program load, test database, app, factories — was done).
import { performance } from "node:perf_hooks";

export default async function* readyReporter(source) {
  let said = false;
  for await (const event of source) {
    if (said || (event.type !== "test:pass" && event.type !== "test:fail")) continue;
    if (event.data.details?.type === "suite") continue;
    said = true;
    yield `READY ${(performance.now() - event.data.details.duration_ms).toFixed(0)}\n`;
  }
}
