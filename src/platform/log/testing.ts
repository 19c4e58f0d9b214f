// The tests' logger (not used by the running program). test/run.mjs names a directory in MOTCUA_TEST_LOG_DIR and
// every test process writes its log lines there at debug level, through the same rules as production's logger;
// once the suite has run, the runner checks that no line of any process holds a secret or a demo person's data
// (`test/check-logs.ts`). A test file run on its own, without the runner, logs nothing.
import path from "node:path";
import pino from "pino";
import { createLogger, type Logger } from "./index.ts";

let shared: Logger | null = null;

export function testLogger(): Logger {
  // The runner's setting, read by test support only: the program reads its configuration in platform/config.
  const dir = process.env.MOTCUA_TEST_LOG_DIR;
  if (!dir) return createLogger("silent");
  shared ??= createLogger("debug", pino.destination({ dest: path.join(dir, `${process.pid}.log`), sync: true, mkdir: true, append: true }));
  return shared;
}
