// The server-side chart: bars and lines at the right heights, a gap for a missing value, the accessible name and
// description, and the same figures in its table, in Vietnamese number formats.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderToString } from "preact-render-to-string";
import { Chart, chartValue, layout, niceMax } from "./chart.tsx";

const points = [
  { label: "T1/2026", value: 0.5 },
  { label: "T2/2026", value: null },
  { label: "T3/2026", value: 1 },
];

describe("chart", () => {
  it("rounds the axis up to 1, 2 or 5 × 10ⁿ", () => {
    assert.deepEqual([niceMax(0), niceMax(7), niceMax(12), niceMax(1200), niceMax(50)], [1, 10, 20, 2000, 50]);
  });

  it("puts a ratio of 1 at the top and 0.5 half way, none for a missing value", () => {
    const g = layout(points, "percent");
    assert.equal(g.items[2]!.y, 12);
    assert.equal(g.items[0]!.y, (12 + g.base) / 2);
    assert.equal(g.items[1]!.y, null);
  });

  it("draws a bar per value with its title, names the chart and tabulates its figures", () => {
    const html = renderToString(<Chart id="c" lang="vi" title="Tỷ lệ đúng hạn" description="Theo tháng" points={points} unit="percent" valueHeader="Tỷ lệ" periodHeader="Kỳ" />);
    assert.equal((html.match(/<rect /g) ?? []).length, 2);
    assert.match(html, /role="img" aria-labelledby="c-title c-desc"/);
    assert.match(html, /<title id="c-title">Tỷ lệ đúng hạn<\/title><desc id="c-desc">Theo tháng<\/desc>/);
    assert.match(html, /<th scope="row">T2\/2026<\/th><td>—<\/td>/);
    assert.match(html, /<th scope="row">T1\/2026<\/th><td>50%<\/td>/);
  });

  it("breaks a line at a missing value", () => {
    const html = renderToString(<Chart id="l" lang="en" title="t" description="d" points={[...points, { label: "T4", value: 0.25 }]} kind="line" unit="percent" valueHeader="v" periodHeader="p" />);
    assert.equal((html.match(/<path /g) ?? []).length, 2);
    assert.equal((html.match(/<circle /g) ?? []).length, 3);
  });

  it("formats counts and ratios the Vietnamese way", () => {
    assert.equal(chartValue(1234, "count", "vi"), "1.234");
    assert.equal(chartValue(0.8555, "percent", "vi"), "85,6%");
    assert.equal(chartValue(0.8555, "percent", "en"), "85.6%");
  });
});
