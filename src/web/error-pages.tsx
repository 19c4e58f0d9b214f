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

/**
 * The page for a request the database could not serve (a restart, a lost network, a full disk): nothing is wrong
 * with what was asked, and asking again shortly may work. `message` is the error's own text.
 */
export function UnavailablePage({ page, message }: { page: PageRequest; message: string }) {
  const { t } = page;
  return (
    <Layout page={page} variant={page.here === "/office" || page.here.startsWith("/office/") ? "office" : "portal"} title={t("unavailable.title")}>
      <h1>{t("unavailable.title")}</h1>
      <p role="alert">{message}</p>
      <p>
        <a href={page.here}>{t("unavailable.retry")}</a>
      </p>
    </Layout>
  );
}
