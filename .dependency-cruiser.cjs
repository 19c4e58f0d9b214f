// The boundaries of the code (docs/ARCHITECTURE.md, "Rules of the house"), checked by `npm run lint` in CI:
// platform is the floor, the web kit knows no module, modules meet only through each other's index.ts, code
// under src never reaches for the tests' helpers, and nothing imports itself in a circle.
/** @type {import("dependency-cruiser").IConfiguration} */
const TEST = "\\.test\\.tsx?$";
/** A module's test support (`testing.ts`, `testing-events.ts`): for tests only, never for the running program. */
const TESTING = "/testing[a-z-]*\\.ts$";
/** Another module's test support, at its top or one folder down. */
const MODULE_TESTING = ["^src/modules/[^/]+/testing[a-z-]*\\.ts$", "^src/modules/[^/]+/[^/]+/testing[a-z-]*\\.ts$"];
/** The program around the modules: the composition, the app, the CLI and the entry points. */
const APP = "^src/(app\\.ts|context\\.ts|modules\\.ts|main\\.ts|boot\\.ts|worker\\.ts|cli/)";

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "No file reaches itself through its imports (type-only imports included).",
      severity: "error",
      from: { path: "^(src|test)/" },
      to: { circular: true },
    },
    {
      name: "platform-is-the-floor",
      comment: "platform/ holds mechanisms with no domain knowledge: it imports nothing above it.",
      severity: "error",
      from: { path: "^src/platform/", pathNot: TEST },
      to: { path: "^src/(?!platform/)" },
    },
    {
      name: "web-kit-knows-no-module",
      comment: "The web kit (src/web) is built on platform only; each module's pages use it, never the reverse.",
      severity: "error",
      from: { path: "^src/web/", pathNot: TEST },
      to: { path: `^src/modules/|${APP}` },
    },
    {
      name: "modules-meet-through-index",
      comment: "A module uses another only through what that module's index.ts exports.",
      severity: "error",
      from: { path: "^src/modules/([^/]+)/", pathNot: [TEST, TESTING] },
      to: { path: "^src/modules/", pathNot: ["^src/modules/$1/", "^src/modules/[^/]+/index\\.ts$"] },
    },
    {
      name: "module-tests-meet-through-index-or-testing",
      comment: "A module's tests use another module through its index.ts, or its test support (testing*.ts).",
      severity: "error",
      from: { path: [`^src/modules/([^/]+)/.+${TEST}`, `^src/modules/([^/]+)/.*${TESTING}`] },
      to: { path: "^src/modules/", pathNot: ["^src/modules/$1/", "^src/modules/[^/]+/index\\.ts$", ...MODULE_TESTING] },
    },
    {
      name: "modules-below-the-app",
      comment: "Modules are composed by the program; they never import it (their test support may build it).",
      severity: "error",
      from: { path: "^src/modules/", pathNot: [TEST, TESTING] },
      to: { path: APP },
    },
    {
      name: "app-meets-modules-through-index",
      comment: "The composition, the app and the CLI see each module through its index.ts.",
      severity: "error",
      from: { path: APP, pathNot: TEST },
      to: { path: "^src/modules/", pathNot: "^src/modules/[^/]+/index\\.ts$" },
    },
    {
      name: "no-test-helpers-in-src",
      comment: "Nothing under src but its *.test.ts files imports test/ (test support that needs it lives in test/helpers).",
      severity: "error",
      from: { path: "^src/", pathNot: TEST },
      to: { path: "^test/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
