import { Layout, type Offer, OfferCards } from "../layout.tsx";
import type { PageRequest } from "../render.ts";

/** The officers' functions, each at the path its page will be served at (see PORTAL_OFFERS). */
export const OFFICE_OFFERS: Offer[] = [
  { title: "office.inbox.title", text: "office.inbox.text", href: "/office/ho-so" },
  { title: "office.receive.title", text: "office.receive.text", href: "/office/tiep-nhan/moi" },
  { title: "office.exchange.title", text: "office.exchange.text", href: "/office/van-ban" },
  { title: "office.catalog.title", text: "office.catalog.text", href: "/quan-tri/thu-tuc" },
  { title: "office.kpi.title", text: "office.kpi.text", href: "/office/bao-cao" },
  { title: "office.daysOff.title", text: "office.daysOff.text", href: "/ngay-nghi" },
];

/** `/office`: the one-stop office's landing page. */
export function OfficeHome({ page, offers }: { page: PageRequest; offers: Offer[] }) {
  const { t } = page;
  return (
    <Layout page={page} variant="office" title={t("office.title")} current="/office">
      <h1>{t("office.heading")}</h1>
      <p class="lead">{t("office.intro")}</p>
      <p class="notice">{t("office.signIn")}</p>
      <h2 id="functions">{t("office.offers")}</h2>
      <OfferCards t={t} offers={offers} headingId="functions" />
    </Layout>
  );
}
