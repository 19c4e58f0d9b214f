// The one-stop core: dossiers from filing (online or at the counter) to the returned result; the forms of
// Circular 01/2018, the public lookup, the notifications and the national portal's sync.
import { OFFICER_ROLES } from "../../platform/auth/actor.ts";
import type { Config } from "../../platform/config/index.ts";
import type { Db } from "../../platform/db/index.ts";
import { nodeSecret } from "../../platform/secrets.ts";
import { defineModule } from "../../platform/module.ts";
import type { DossierTransition } from "./events.ts";
import { makeFileLinks } from "./file-links.ts";
import { latenessJob } from "./jobs.ts";
import { catalogLookup, directoryLookup } from "./lookups.ts";
import { makeNationalSync } from "./national-sync.ts";
import { makeNotifier } from "./notifications.ts";
import { dossierStorePages } from "./documents-pages.tsx";
import { dossierOfficePages } from "./office-pages.tsx";
import { dossierPortalPages } from "./portal-pages.tsx";
import { dossierRoutes } from "./routes.ts";
import { type FormsService, makeFormsService } from "./service.forms.ts";
import { type DossierService, makeDossierService } from "./service.ts";

declare module "../../platform/module.ts" {
  interface Services {
    /** The one-stop core: dossiers from filing to the returned result. */
    dossiers: DossierService;
    /** The one-stop forms of dossiers and the register (Circular 03/2025: Mẫu 01–07; Circular 01/2018: 01–06). */
    dossierForms: FormsService;
  }
}

/** The signer of the national portal's links to the dossiers' files: the same on every node sharing MOTCUA_SECRET. */
const fileLinksOf = (config: Config) => makeFileLinks({ secret: nodeSecret(config, "file-links"), publicUrl: config.publicUrl });

export const dossiersModule = defineModule({
  name: "dossiers",
  needs: ["directory", "calendar", "identity", "catalog"],
  provides: ["dossiers", "dossierForms"],
  build: ({ database, clock, audit, events, files, config, calendar, catalog, directory, identity }) => ({
    dossiers: makeDossierService({ database, clock, audit, events, calendar, catalog, directory, identity, files, lookupsPerMinute: config.lookupsPerMinute, links: fileLinksOf(config) }),
    dossierForms: makeFormsService({ database, clock, calendar, catalog, directory, publicUrl: config.publicUrl }),
  }),
  // In every dossier change's transaction: the applicant's and officers' mail, the national portal's sync.
  parts: ({ jobs, mail, identity, catalog, directory, config }) => ({
    notifier: makeNotifier({ jobs, mail, identity, publicUrl: config.publicUrl, catalog: catalogLookup(catalog) }),
    nationalSync: makeNationalSync({
      jobs,
      endpoint: config.nationalSync,
      links: fileLinksOf(config),
      catalog: catalogLookup(catalog),
      directory: directoryLookup(directory),
    }),
  }),
  listens: {
    "dossiers.transition": ({ notifier, nationalSync }) =>
      async (tx: Db, event: DossierTransition) => {
        // A step taken in from another node: the origin node tells its applicant and the national portal.
        if (event.dossier.takenIn) return;
        await notifier.listener(tx, event);
        await nationalSync.listener?.(tx, event);
      },
  },
  routes: ({ dossiers, dossierForms, config }) => [dossierRoutes(dossiers, dossierForms, { maxUploadBytes: config.maxUploadBytes })],
  pages: ({ dossiers, catalog, directory, config, secret, clock }) => {
    const deps = { dossiers, catalog, directory, maxUploadBytes: config.maxUploadBytes, keptFormSecret: secret("kept-forms"), now: () => clock.now().getTime() };
    return [dossierPortalPages(deps), dossierOfficePages(deps), dossierStorePages(deps)];
  },
  jobs: ({ dossiers, notifier, nationalSync }) => [
    latenessJob(dossiers),
    notifier.job,
    ...(nationalSync.job ? [nationalSync.job] : []),
  ],
  schedules: { "dossiers.flag_lateness": "*/15 * * * *" },
  nav: [
    { area: "portal", href: "/ho-so-cua-toi", label: { vi: "Hồ sơ của tôi", en: "My dossiers" }, order: 20 },
    { area: "portal", href: "/tra-cuu", label: { vi: "Tra cứu hồ sơ", en: "Look up a dossier" }, order: 30 },
    { area: "portal", href: "/kho-du-lieu", label: { vi: "Kho dữ liệu của tôi", en: "My data store" }, roles: ["citizen", "business"], order: 25 },
    { area: "office", href: "/office/ho-so", label: { vi: "Hồ sơ cần xử lý", en: "Work queue" }, roles: OFFICER_ROLES, order: 10 },
    { area: "office", href: "/office/tiep-nhan/moi", label: { vi: "Tiếp nhận tại quầy", en: "Counter intake" }, roles: ["receiver"], order: 20 },
  ],
});

export type { DossierFacts, DossierRated, DossierTransition, StepFacts } from "./events.ts";
export type { DossierService } from "./service.ts";
export type { DossierInterAgency, SettleInput, TakeInInput } from "./service.interagency.ts";
export type { Applicant, TakenInStep } from "./tables.ts";
export type { DossierDto } from "./schema.ts";
export type { FormsService } from "./service.forms.ts";
export { officeDossierPath } from "./office-views.tsx";
