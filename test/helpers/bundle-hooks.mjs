// Module hooks for test processes (registered by test/helpers/bundle.mjs): a test file is loaded as one ES module,
// built by esbuild from it and every file of the project it imports, instead of file by file through tsx. On Node
// 20 module hooks run on a thread of their own, and every import of every file is a resolve and a load sent there
// and waited for: a dossier test file's ~350 program files made ~1,900 round trips before its first test, and tsx's
// own start and its hooks on every library file cost about as much again. Libraries stay outside the bundle
// (`packages: "external"`) and load as Node loads them. The bundle keeps the files' ES module semantics (esbuild
// links them in the order Node would evaluate them), each file's own `import.meta.url`, the names of functions and
// classes (`keepNames`), and a source map, so stack traces name the project's files and lines.
//
// A bundle is cached under node_modules/.cache/motcua-test/bundles, one per test file, gzipped (~3 MB, a quarter
// of that zipped: a whole suite's would take some 400 MB unzipped; unzipping costs a few ms), with the size and
// modification time of every file in it: a test file whose files are unchanged is not built again. A TypeScript
// file loaded outside a bundle (a second test file, an import whose path is computed) is compiled alone, as tsx
// would. A file esbuild cannot build fails the test file with esbuild's message.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";
import zlib from "node:zlib";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CACHE = path.join(ROOT, "node_modules", ".cache", "motcua-test", "bundles");
const TEST_FILE = /\.test\.tsx?$/;
const TYPESCRIPT = /\.m?tsx?$/;
const NODE_MODULES = `${path.sep}node_modules${path.sep}`;
/** What else makes a bundle: this file (how it is built), esbuild's version, the compiler settings it reads. */
const MAKER = ["test/helpers/bundle-hooks.mjs", "node_modules/esbuild/package.json", "tsconfig.json", "package.json"];

let entryTaken = false;

/** The test file a process runs, bundled; any other TypeScript file compiled alone; the rest loads as Node loads it. */
export async function load(url, context, next) {
  if (!url.startsWith("file:") || !TYPESCRIPT.test(url.split("?")[0])) return next(url, context);
  const file = fileURLToPath(url);
  if (entryTaken || !TEST_FILE.test(file) || !file.startsWith(ROOT + path.sep) || file.includes(NODE_MODULES)) return { format: "module", source: await alone(file), shortCircuit: true };
  entryTaken = true;
  return { format: "module", source: cached(file) ?? (await build(file)), shortCircuit: true };
}

/** One TypeScript file as an ES module, with its source map: what tsx does for each file. */
async function alone(file) {
  const esbuild = await import("esbuild");
  const result = await esbuild.transform(await fs.promises.readFile(file, "utf8"), {
    loader: file.endsWith("x") ? "tsx" : "ts",
    format: "esm",
    target: `node${process.versions.node}`,
    sourcemap: "inline",
    sourcefile: file,
    tsconfigRaw: fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8"),
  });
  return result.code;
}

function cacheFile(file) {
  return path.join(CACHE, `${crypto.createHash("sha256").update(file).digest("hex").slice(0, 16)}.mjs.gz`);
}

/** The inputs' sizes and modification times, as a bundle's first line records them. */
function stamp(inputs) {
  return inputs.map((input) => {
    const s = fs.statSync(path.join(ROOT, input), { throwIfNoEntry: false });
    return s ? `${input}:${s.size}:${s.mtimeMs}` : `${input}:missing`;
  });
}

/** The cached bundle when none of its files changed, else null. */
function cached(file) {
  let text;
  let recorded;
  try {
    text = zlib.gunzipSync(fs.readFileSync(cacheFile(file))).toString("utf8");
    recorded = JSON.parse(text.slice(3, text.indexOf("\n")));
  } catch {
    return null;
  }
  const end = text.indexOf("\n");
  const now = stamp(recorded.map((s) => s.slice(0, s.indexOf(":"))));
  return now.every((s, i) => s === recorded[i]) ? text.slice(end + 1) : null;
}

async function build(file) {
  const esbuild = await import("esbuild");
  const started = Date.now();
  const result = await esbuild.build({
      entryPoints: [file],
      // Not written: names where the source map's paths are relative to, the test file's folder (its URL is the module's).
      outfile: file,
      write: false,
      absWorkingDir: ROOT,
      bundle: true,
      packages: "external",
      format: "esm",
      platform: "node",
      target: `node${process.versions.node}`,
      keepNames: true,
      sourcemap: "inline",
      sourcesContent: false,
      metafile: true,
      logLevel: "silent",
      plugins: [ownImportMeta],
    });
  const inputs = [...new Set([...MAKER, ...Object.keys(result.metafile.inputs)])];
  const source = result.outputFiles[0].text;
  // A file saved while esbuild read the others may be in the bundle as it was before: such a bundle is used once,
  // not kept under the new file's time (the next run builds it again).
  const recorded = stamp(inputs);
  if (inputs.some((input) => (fs.statSync(path.join(ROOT, input), { throwIfNoEntry: false })?.mtimeMs ?? 0) >= started - 1000)) return source;
  const target = cacheFile(file);
  fs.mkdirSync(CACHE, { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, zlib.gzipSync(`// ${JSON.stringify(recorded)}\n${source}`));
  fs.renameSync(tmp, target);
  return source;
}

/** Each project file keeps its own `import.meta.url` (paths made from it: data files, `createRequire`). */
const ownImportMeta = {
  name: "own-import-meta",
  setup(build) {
    build.onLoad({ filter: /\.[cm]?tsx?$/ }, async (args) => {
      if (args.path.includes(NODE_MODULES)) return undefined;
      const text = await fs.promises.readFile(args.path, "utf8");
      return {
        contents: text.replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(args.path).href)),
        loader: args.path.endsWith("x") ? "tsx" : "ts",
      };
    });
  },
};
