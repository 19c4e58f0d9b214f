import type { ComponentChildren } from "preact";

/**
 * A table that scrolls sideways in its own box on a narrow screen rather than widening the page (or squeezing its
 * dates and codes into broken words); a named region that takes focus, so a keyboard can scroll it too (axe's
 * scrollable-region-focusable). Named by the table's caption (`labelledBy`, its id) or by `label`.
 */
export function ScrollTable({ label, labelledBy, children }: { label?: string; labelledBy?: string; children: ComponentChildren }) {
  return (
    <div class="table-scroll" role="region" aria-label={labelledBy ? undefined : label} aria-labelledby={labelledBy} tabindex={0}>
      {children}
    </div>
  );
}
