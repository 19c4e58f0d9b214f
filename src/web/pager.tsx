// Previous / next links of a paged list, and the page number a list is asked for. Lists page without a count
// (API.md): `hasMore` says whether there is a next page, so a pager never shows page numbers it would have
// to count to know.
import type { PageRequest } from "./render.ts";

export interface PagerProps {
  page: PageRequest;
  result: { page: number; hasMore: boolean };
  /** The attributes of the link to page `n`: its `href`, and htmx's when the list updates in place. */
  link: (n: number) => Record<string, string>;
  /** The navigation's accessible name; "Các trang" by default. */
  label?: { vi: string; en: string };
}

export function Pager({ page, result, link, label }: PagerProps) {
  if (result.page <= 1 && !result.hasMore) return null;
  const en = page.lang === "en";
  return (
    <nav aria-label={en ? (label?.en ?? "Pages") : (label?.vi ?? "Các trang")}>
      <ul class="pager">
        {result.page > 1 ? (
          <li>
            <a rel="prev" {...link(result.page - 1)}>
              {en ? "Previous page" : "Trang trước"}
            </a>
          </li>
        ) : null}
        {result.hasMore ? (
          <li>
            <a rel="next" {...link(result.page + 1)}>
              {en ? "Next page" : "Trang sau"}
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

/** A page number from the query (`?trang=`, `?page=`): anything but 1…10000 is the first page. */
export function pageNumber(v: string | undefined): number {
  const n = Number((v ?? "").trim().slice(0, 6));
  return Number.isInteger(n) && n >= 1 && n <= 10000 ? n : 1;
}
