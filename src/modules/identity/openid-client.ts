// openid-client (with the parts of jose it reads tokens with), loaded with the first sign-in through another
// OpenID provider or through the portal's and office's own relying parties, not with the program: a process that
// signs no one in that way (most test files, the CLI) never loads it.
import { lazy } from "../../platform/lazy.ts";

export const openidClient = lazy(() => import("openid-client"));
