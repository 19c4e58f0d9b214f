import { Layout } from "./layout.tsx";
import type { PageRequest } from "./render.ts";

/** The page for an address that has none. */
export function NotFoundPage({ page }: { page: PageRequest }) {
  const { t } = page;
  const office = page.here === "/office" || page.here.startsWith("/office/");
  return (
    <Layout page={page} variant={office ? "office" : "portal"} title={t("notFound.title")}>
      <h1>{t("notFound.heading")}</h1>
      <p>{t("notFound.text")}</p>
      <p>
        <a href={office ? "/office" : "/"}>{t("notFound.home")}</a>
      </p>
    </Layout>
  );
}

/** The page for an error the server did not expect; the request id lets support find the log entry. */
export function ErrorPage({ page, requestId }: { page: PageRequest; requestId: string }) {
  const { t } = page;
  return (
    <Layout page={page} variant="portal" title={t("error.title")}>
      <h1>{t("error.title")}</h1>
      <p>{t("error.text")}</p>
      <p>{t("error.reference", { id: requestId })}</p>
      <p>
        <a href="/">{t("notFound.home")}</a>
      </p>
    </Layout>
  );
}
