// `npm run bench [-- --db=pglite|postgres|both --duration=10 --connections=50]`: every benchmark.
import { benchAuditWrites } from "./audit-writes.ts";
import { benchCatalogSearch } from "./catalog-search.ts";
import { benchDossiers } from "./dossiers.ts";
import { benchExchange } from "./exchange.ts";
import { benchHealthz } from "./healthz.ts";
import { benchIdentity } from "./identity.ts";
import { benchRegistries } from "./registries.ts";
import { benchKpi } from "./kpi.ts";

const argv = process.argv.slice(2);
console.log(`motcua benchmarks — ${new Date().toISOString()} — node ${process.version}`);
await benchHealthz(argv);
await benchAuditWrites(argv);
await benchIdentity(argv);
await benchCatalogSearch(argv);
await benchDossiers(argv);
await benchExchange(argv);
await benchRegistries(argv);
await benchKpi(argv);
