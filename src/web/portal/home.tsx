import { Layout, type Offer, OfferCards } from "../layout.tsx";
import type { PageRequest } from "../render.ts";

/**
 * The portal's services, each at the path its page will be served at. `routes.ts` links a card only
 * when that page is registered, so a card turns into a link the day its module ships.
 */
export const PORTAL_OFFERS: Offer[] = [
  { title: "home.catalog.title", text: "home.catalog.text", href: "/thu-tuc" },
  { title: "home.file.title", text: "home.file.text", href: "/nop-ho-so" },
  { title: "home.lookup.title", text: "home.lookup.text", href: "/tra-cuu" },
  { title: "home.feedback.title", text: "home.feedback.text", href: "/phan-anh" },
  { title: "home.data.title", text: "home.data.text", href: "/du-lieu-cua-toi" },
  { title: "home.dashboards.title", text: "home.dashboards.text", href: "/so-lieu" },
  { title: "home.daysOff.title", text: "home.daysOff.text", href: "/ngay-nghi" },
  { title: "home.api.title", text: "home.api.text", href: "/docs" },
];

/** `/`: what the platform offers citizens and businesses. */
export function PortalHome({ page, offers }: { page: PageRequest; offers: Offer[] }) {
  const { t } = page;
  return (
    <Layout page={page} variant="portal" title={t("home.title")} current="/">
      <h1>{t("home.heading")}</h1>
      <p class="lead">{t("home.intro")}</p>
      <h2 id="offers">{t("home.offers")}</h2>
      <OfferCards t={t} offers={offers} headingId="offers" />
    </Layout>
  );
}
