// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", ".motcua/", "coverage/", "tmp/", "migrations/", "bin/", "test/run.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": [
        "error",
        // node:test's describe/it return promises the runner itself awaits.
        { allowForKnownSafeCalls: [{ from: "package", package: "node:test", name: ["describe", "it", "test", "suite"] }] },
      ],
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false } }],
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      // `import { type X } from "lib"` stays in the program as `import "lib"` (verbatimModuleSyntax): the whole
      // library loaded for a type. That is how TypeBox's ESM build (~200 files) and Drizzle's came back into every
      // test file's start beside the CommonJS copies (issue 12, item 10).
      "@typescript-eslint/no-import-type-side-effects": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through src/platform/config only." },
      ],
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@sinclair/typebox", "@sinclair/typebox/*"],
              allowTypeImports: true,
              message: "Import TypeBox's values from src/platform/typebox.ts (its CommonJS build: one copy, loaded cheaply).",
            },
            {
              group: ["drizzle-orm", "drizzle-orm/*"],
              allowTypeImports: true,
              message: "Import Drizzle's values from src/platform/db/drizzle.ts (its CommonJS build: one copy, loaded cheaply).",
            },
            {
              group: ["@electric-sql/pglite", "@electric-sql/pglite/*"],
              allowTypeImports: true,
              message: "PGlite is required in src/platform/db/index.ts (its CommonJS build, the copy Drizzle's driver requires).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/platform/typebox.ts", "src/platform/db/drizzle.ts"],
    rules: { "@typescript-eslint/no-restricted-imports": "off" },
  },
  {
    // src/platform/log/testing.ts: the tests' logger reads where the test runner wants the lines.
    files: ["src/platform/config/index.ts", "src/platform/log/testing.ts", "test/**", "bench/**"],
    rules: { "no-restricted-properties": "off" },
  },
  {
    // The boundaries between platform, the web kit and the modules are dependency-cruiser's (.dependency-cruiser.cjs).
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { module: "writable", require: "readonly" } },
  },
);
