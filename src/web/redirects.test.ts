// Redirects only to this site (issue 13, item 3): a visitor's `next` is resolved against the node's own origin as a
// browser resolves it, and only a path that stays there, read the way the browser will read it, is used.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { sameSitePath } from "./redirects.ts";

const ORIGIN = "https://dichvucong.bacninh.gov.vn";

/** Where a browser goes when told `Location: <path>` from a page anywhere on the site. */
function followed(path: string, from = `${ORIGIN}/dang-nhap/xac-thuc`): URL {
  return new URL(path, from);
}

/** The invariant every answer keeps: one leading slash, and the browser stays on the origin from any page of it. */
function assertOnSite(path: string, why: string): void {
  assert.ok(path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\"), `${why} → ${path}`);
  for (const from of [`${ORIGIN}/`, `${ORIGIN}/a/b/c?x=1`, "http://localhost:3000/x"]) {
    assert.equal(followed(path, from).origin, new URL(from).origin, `${why} → ${path} from ${from}`);
  }
}

/** The known ways out: protocol-relative after normalisation, backslashes, tabs and newlines, dot segments, encodings, schemes. */
const BYPASSES = [
  "//evil.example",
  "///evil.example",
  "////evil.example/x",
  "/.//evil.example",
  "/././/evil.example",
  "/..//evil.example",
  "/x/..//evil.example",
  "/%2e//evil.example",
  "/%2E%2E//evil.example",
  "/.%2e//evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "\\/evil.example",
  "/\\/evil.example",
  "/.\\/evil.example",
  "/\t/evil.example",
  "\t//evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  " //evil.example",
  "\u0001//evil.example",
  "https://evil.example/",
  "http://evil.example",
  "http:evil.example",
  "HTTPS://EVIL.EXAMPLE",
  "https://dichvucong.bacninh.gov.vn@evil.example/",
  "https://dichvucong.bacninh.gov.vn.evil.example/",
  "http://dichvucong.bacninh.gov.vn/",
  "https://dichvucong.bacninh.gov.vn:8443/",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "java\tscript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:x",
  "//evil.example@dichvucong.bacninh.gov.vn",
  "/" + "a".repeat(3000),
];

describe("redirects only to this site", () => {
  it("refuses each known bypass (the home page instead)", () => {
    for (const value of BYPASSES) assert.equal(sameSitePath(value, ORIGIN), "/", JSON.stringify(value));
    assert.equal(sameSitePath(undefined, ORIGIN), "/");
    assert.equal(sameSitePath(["/office"], ORIGIN), "/");
    assert.equal(sameSitePath("//evil.example", ORIGIN, "/office"), "/office");
  });

  it("keeps an encoded slash or backslash as a path of the site, which a browser does not decode into a host", () => {
    for (const value of ["/%2f%2fevil.example", "%2f%2fevil.example", "/%2F%2Fevil.example", "/%5cevil.example", "%5C%5Cevil.example", "/%252f%252fevil.example", "/%09/evil.example"]) {
      const path = sameSitePath(value, ORIGIN);
      assertOnSite(path, JSON.stringify(value));
      assert.equal(followed(path).host, "dichvucong.bacninh.gov.vn", value);
    }
  });

  it("keeps a path of the site, normalised, with its query and fragment", () => {
    assert.equal(sameSitePath("/office?x=1#frag", ORIGIN), "/office?x=1#frag");
    assert.equal(sameSitePath("/thu-tuc/1.001193?q=khai sinh", ORIGIN), "/thu-tuc/1.001193?q=khai%20sinh");
    assert.equal(sameSitePath("/a/./b/../c", ORIGIN), "/a/c");
    assert.equal(sameSitePath("/ho-so-cua-toi/Hồ sơ", ORIGIN), "/ho-so-cua-toi/H%E1%BB%93%20s%C6%A1");
    // Resolved against the node's own origin: an absolute address of it is its path, a relative one is under its root.
    assert.equal(sameSitePath(`${ORIGIN}/office?x=1`, ORIGIN), "/office?x=1");
    assert.equal(sameSitePath("HTTPS://DICHVUCONG.BACNINH.GOV.VN/office", ORIGIN), "/office");
    assert.equal(sameSitePath("office", ORIGIN), "/office");
    // The site's own scheme without slashes is a relative reference, to browsers too.
    assert.equal(sameSitePath("https:evil.example", ORIGIN), "/evil.example");
    assert.equal(sameSitePath("", ORIGIN), "/");
  });

  it("for any mix of slashes, backslashes, dots, encodings, whitespace, schemes and hosts: a path that keeps the browser on the site", () => {
    const piece = fc.constantFrom(
      "/", "//", "\\", ".", "..", "%2e", "%2E", "%2f", "%2F", "%5c", "%09", "\t", "\n", "\r", " ", "\u0000", "\u001f",
      "evil.example", "dichvucong.bacninh.gov.vn", "@", ":", "http:", "https:", "javascript:", "?", "#", "%", "a", "😀",
      ORIGIN,
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }).map((p) => p.join("")), (value) => {
        const path = sameSitePath(value, ORIGIN);
        assertOnSite(path, JSON.stringify(value));
        // What it answers, it answers again: the normalised form is already a path of the site.
        assert.equal(sameSitePath(path, ORIGIN), path);
        // A refused value is the home page, never a rewrite of a way out.
        let leaves: boolean;
        try {
          leaves = new URL(value, `${ORIGIN}/`).origin !== ORIGIN;
        } catch {
          leaves = true;
        }
        if (leaves) assert.equal(path, "/", JSON.stringify(value));
      }),
      { seed: 13, numRuns: 2000 },
    );
  });

  it("for any path of the site, built from its segments: the same path, as the browser would request it", () => {
    const segment = fc.string({ unit: fc.constantFrom(..."abcxyz019-_.~ ăđơ😀%".split(""), "%20"), minLength: 1, maxLength: 8 }).filter((s) => s !== "." && s !== "..");
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.option(fc.string({ maxLength: 8 })), (segments, query) => {
        const value = `/${segments.join("/")}${query === null ? "" : `?${query}`}`;
        const path = sameSitePath(value, ORIGIN);
        const browser = followed(value, `${ORIGIN}/`);
        assert.equal(path, `${browser.pathname}${browser.search}${browser.hash}`, JSON.stringify(value));
      }),
      { seed: 13, numRuns: 500 },
    );
  });
});
