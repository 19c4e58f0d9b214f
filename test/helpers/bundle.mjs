// `node --import ./test/helpers/bundle.mjs`, what test/run.mjs gives every test process: the test file is loaded as
// one module with the project's files it imports (test/helpers/bundle-hooks.mjs), without tsx. With
// MOTCUA_TEST_BUNDLE=0, tsx loads it file by file as `--import tsx` does.
import { register } from "node:module";
import process from "node:process";

if (process.env.MOTCUA_TEST_BUNDLE === "0") {
  await import("tsx");
} else {
  // Stack traces name the project's files and lines through the bundle's source map (tsx turns this on too).
  process.setSourceMapsEnabled(true);
  register("./bundle-hooks.mjs", import.meta.url);
}
