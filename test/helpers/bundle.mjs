// `node --import tsx --import ./test/helpers/bundle.mjs`: a test file and the project's files it imports loaded as
// one module (test/helpers/bundle-hooks.mjs). Registered after tsx, so its hooks run first.
import { register } from "node:module";

register("./bundle-hooks.mjs", import.meta.url);
