// Programs from Debian's packages that some tests run as independent checkers (xmlsec1 verifies our XML
// signatures). CI installs them and sets MOTCUA_REQUIRE_<NAME>=1, so that a missing one fails there; a developer's
// machine without one is told, and the check is skipped.
import fs from "node:fs";

/** The path of `name` from its Debian package, or null; throws where CI requires it (MOTCUA_REQUIRE_<NAME>). */
export function debianTool(name: string): string | null {
  const found = [`/usr/bin/${name}`, `/usr/local/bin/${name}`].find((p) => fs.existsSync(p)) ?? null;
  if (!found && process.env[`MOTCUA_REQUIRE_${name.toUpperCase()}`]) throw new Error(`${name} is required here (Debian package ${name})`);
  return found;
}
