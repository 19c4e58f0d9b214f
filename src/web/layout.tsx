import type { ComponentChildren } from "preact";
import { assetUrl } from "./assets.ts";
import type { Lang, MessageKey, Translate } from "./i18n.ts";
import type { PageRequest, Viewer } from "./render.ts";

export type Variant = "portal" | "office";

/** The route that sets the `lang` cookie and comes back (routes.ts). */
export const LANGUAGE_PATH = "/ngon-ngu";

const LANGUAGES: { lang: Lang; name: string }[] = [
  { lang: "vi", name: "Tiếng Việt" },
  { lang: "en", name: "English" },
];

// htmx must not inject its indicator <style> (the CSP forbids inline style; app.css carries it), nor
// evaluate strings as code.
const HTMX_CONFIG = JSON.stringify({ includeIndicatorStyles: false, allowEval: false, allowScriptTags: false });

export interface LayoutProps {
  page: PageRequest;
  variant: Variant;
  /** The page's own title; the product name is appended. */
  title: string;
  /** The nav entry of this page, when it has one. */
  current?: string;
  children: ComponentChildren;
}

function LanguageSwitch({ page }: { page: PageRequest }) {
  return (
    <p class="lang-switch">
      <span>{page.t("lang.label")}:</span>
      {LANGUAGES.map(({ lang, name }) =>
        lang === page.lang ? (
          <strong key={lang} lang={lang} aria-current="true">
            {name}
          </strong>
        ) : (
          <a
            key={lang}
            href={`${LANGUAGE_PATH}?lang=${lang}&next=${encodeURIComponent(page.here)}`}
            lang={lang}
            hreflang={lang}
          >
            {name}
          </a>
        ),
      )}
    </p>
  );
}

function ViewerBox({ t, viewer }: { t: Translate; viewer: Viewer }) {
  if ("signIn" in viewer) {
    return (
      <p class="viewer">
        <a class="viewer__sign-in" href={viewer.signIn}>
          {t("viewer.signIn")}
        </a>
      </p>
    );
  }
  return (
    <form class="viewer" method="post" action={viewer.signOut}>
      <span class="viewer__name">{t("viewer.signedInAs", { name: viewer.name })}</span>
      <input type="hidden" name="_csrf" value={viewer.csrf} />
      <button type="submit" class="viewer__sign-out">
        {t("viewer.signOut")}
      </button>
    </form>
  );
}

function Mark() {
  return (
    <svg class="brand__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="6" fill="#ffffff" />
      <path d="M16 6l2.6 6.9h7.3l-5.9 4.4 2.2 7.1L16 20.1l-6.2 4.3 2.2-7.1-5.9-4.4h7.3z" fill="#c8102e" />
    </svg>
  );
}

/** The frame of every page: skip link, header with the product and the language switch, nav, main, footer. */
export function Layout({ page, variant, title, current, children }: LayoutProps) {
  const { t } = page;
  const home = variant === "office" ? "/office" : "/";
  return (
    <html lang={page.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} — ${t("site.name")}`}</title>
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <link rel="icon" href={assetUrl("favicon.svg")} type="image/svg+xml" />
        <link rel="stylesheet" href={assetUrl("app.css")} />
        <script src={assetUrl("htmx.min.js")} defer />
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t("skip.main")}
        </a>
        <header class={`site-header site-header--${variant}`}>
          <div class="container site-header__bar">
            <a class="brand" href={home}>
              <Mark />
              <span class="brand__text">
                <span class="brand__name">{t("site.name")}</span>
                <span class="brand__sub">{t(variant === "office" ? "site.office" : "site.portal")}</span>
              </span>
            </a>
            <div class="site-header__tools">
              {page.viewer ? <ViewerBox t={t} viewer={page.viewer} /> : null}
              <LanguageSwitch page={page} />
            </div>
          </div>
          {/* On a phone the menu folds behind its button, a <summary> (a disclosure button for every browser and
              screen reader, with or without JavaScript); on a wider screen app.css shows it open with no button. */}
          <nav class="site-nav" aria-label={t("nav.label")}>
            <details class="container site-nav__menu">
              <summary class="site-nav__toggle">
                <span class="site-nav__icon" aria-hidden="true" />
                {t("nav.menu")}
              </summary>
              <ul>
                {(page.nav ?? [])
                  .filter((item) => item.area === variant && (!item.roles || item.roles.some((r) => page.roles?.includes(r))))
                  .map((item) => (
                    <li key={item.href}>
                      <a href={item.href} aria-current={item.href === current ? "page" : undefined}>
                        {item.label[page.lang]}
                      </a>
                    </li>
                  ))}
              </ul>
            </details>
          </nav>
        </header>
        <main id="main" tabindex={-1}>
          <div class="container">{children}</div>
        </main>
        <Footer t={t} />
      </body>
    </html>
  );
}

function Footer({ t }: { t: Translate }) {
  return (
    <footer class="site-footer">
      <div class="container">
        <p>{t("footer.about")}</p>
        <ul>
          <li>
            <a href="/docs">{t("footer.api")}</a>
          </li>
          <li>
            <a href="/ngay-nghi">{t("footer.daysOff")}</a>
          </li>
        </ul>
      </div>
    </footer>
  );
}

export interface Offer {
  title: MessageKey;
  text: MessageKey;
  /** Where it lives; a card without one (or whose page is not served yet) is marked as coming. */
  href?: string | undefined;
}

/** What the platform offers, as cards; only what exists is a link. */
export function OfferCards({ t, offers, headingId }: { t: Translate; offers: Offer[]; headingId: string }) {
  return (
    <ul class="cards" aria-labelledby={headingId}>
      {offers.map((o) => (
        <li key={o.title} class={o.href ? "card" : "card card--coming"}>
          <h3 class="card__title">{o.href ? <a href={o.href}>{t(o.title)}</a> : t(o.title)}</h3>
          <p>{t(o.text)}</p>
          {o.href ? null : <p class="badge">{t("card.coming")}</p>}
        </li>
      ))}
    </ul>
  );
}
