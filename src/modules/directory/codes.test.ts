import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  AGENCY_CODE_PATTERN,
  agencyLevel,
  ancestorAgencyCodes,
  formatAgencyCode,
  isAgencyCode,
  isWithinAgency,
  parentAgencyCode,
  parseAgencyCode,
  subtreeSuffix,
} from "./codes.ts";

const PATTERN = new RegExp(AGENCY_CODE_PATTERN);

const CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const charFrom = (s: string) => fc.constantFrom(...s.split(""));
const partOf = (n: number, zeroWeight = 1) =>
  fc.oneof(
    { weight: zeroWeight, arbitrary: fc.constant("0".repeat(n)) },
    { weight: 3, arbitrary: fc.array(charFrom(CHARS), { minLength: n, maxLength: n }).map((a) => a.join("")) },
  );
const nonZeroPart = (n: number) => partOf(n, 0).filter((p) => !/^0+$/.test(p));
const level1 = fc.tuple(charFrom(UPPER), fc.integer({ min: 0, max: 99 })).map(([l, n]) => `${l}${String(n).padStart(2, "0")}`);

/** Valid identifiers of every level, built the way the standard builds them, with their level. */
const leveledCode = fc
  .tuple(fc.integer({ min: 1, max: 4 }), level1, nonZeroPart(2), nonZeroPart(2), nonZeroPart(3))
  .map(([level, l1, l2, l3, l4]) => ({
    level,
    code: formatAgencyCode({
      level1: l1,
      level2: level >= 2 ? l2 : "00",
      level3: level >= 3 ? l3 : "00",
      level4: level >= 4 ? l4 : "000",
    }),
  }));
const validCode = leveledCode.map((c) => c.code);

/** Strings shaped like identifiers, most of them wrong in some part. */
const nearCode = fc
  .tuple(partOf(3), partOf(2), partOf(2), fc.oneof(level1, partOf(3)), fc.constantFrom(".", ".", ".", "-", "..", ""))
  .map(([a, b, c, d, sep]) => [a, b, c, d].join(sep));

describe("QCVN 102 agency identifiers", () => {
  it("accepts the standard's examples with their levels", () => {
    assert.equal(agencyLevel("000.00.00.G22"), 1);
    assert.equal(agencyLevel("000.00.00.H41"), 1);
    assert.equal(agencyLevel("000.00.04.G14"), 2);
    assert.equal(agencyLevel("000.00.12.H29"), 2);
    assert.equal(agencyLevel("000.01.12.H29"), 3);
    assert.equal(agencyLevel("001.01.12.H29"), 4);
    assert.equal(agencyLevel("000.A1.12.H29"), 3);
  });

  it("refuses malformed identifiers and says why", () => {
    const cases: [string, string][] = [
      ["000.00.00.H4", "length"],
      ["000.00.00.H411", "length"],
      ["000-00-00-H41", "shape"],
      ["0000.0.00.H41", "shape"],
      ["000.00.00.141", "level1"],
      ["000.00.00.HA1", "level1"],
      ["000.00.00.h41", "level1"],
      ["000.00.0a.H41", "characters"],
      ["000.00.+1.H41", "characters"],
      ["000.05.00.H41", "hierarchy"],
      ["001.00.00.H41", "hierarchy"],
      ["001.00.05.H41", "hierarchy"],
      ["001.05.00.H41", "hierarchy"],
    ];
    for (const [code, problem] of cases) {
      assert.deepEqual(parseAgencyCode(code), { ok: false, problem }, code);
      assert.equal(PATTERN.test(code), false, code);
    }
  });

  it("derives the parent by zeroing the lowest used level", () => {
    assert.equal(parentAgencyCode("000.00.00.H29"), null);
    assert.equal(parentAgencyCode("000.00.12.H29"), "000.00.00.H29");
    assert.equal(parentAgencyCode("000.01.12.H29"), "000.00.12.H29");
    assert.equal(parentAgencyCode("001.01.12.H29"), "000.01.12.H29");
    assert.deepEqual(ancestorAgencyCodes("001.01.12.H29"), ["000.01.12.H29", "000.00.12.H29", "000.00.00.H29"]);
    assert.throws(() => parentAgencyCode("000.05.00.H41"), /not a QCVN 102/);
  });

  it("tells whether a unit lies within another", () => {
    assert.equal(isWithinAgency("000.01.12.H29", "000.00.00.H29"), true);
    assert.equal(isWithinAgency("000.01.12.H29", "000.00.12.H29"), true);
    assert.equal(isWithinAgency("000.00.12.H29", "000.00.12.H29"), true);
    assert.equal(isWithinAgency("000.00.12.H29", "000.01.12.H29"), false);
    assert.equal(isWithinAgency("000.01.13.H29", "000.00.12.H29"), false);
    assert.equal(isWithinAgency("000.00.12.H29", "000.00.00.H30"), false);
    assert.equal(isWithinAgency("nonsense", "000.00.00.H30"), false);
  });

  it("property: the regular expression and the parser agree on any near-identifier", () => {
    fc.assert(
      fc.property(fc.oneof(validCode, nearCode, fc.string({ maxLength: 15 })), (s) => {
        assert.equal(PATTERN.test(s), isAgencyCode(s), s);
      }),
      { numRuns: 5000 },
    );
  });

  it("property: every identifier built level by level is valid, at that level", () => {
    fc.assert(
      fc.property(leveledCode, ({ code, level }) => {
        const r = parseAgencyCode(code);
        assert.ok(r.ok, code);
        assert.equal(r.level, level);
        assert.equal(code.length, 13);
      }),
    );
  });

  it("property: the parent is one level up, valid, and an ancestor; the chain ends at level 1", () => {
    fc.assert(
      fc.property(validCode, (code) => {
        const level = agencyLevel(code);
        const parent = parentAgencyCode(code);
        if (level === 1) {
          assert.equal(parent, null);
          return;
        }
        assert.ok(parent !== null && isAgencyCode(parent));
        assert.equal(agencyLevel(parent), level - 1);
        assert.ok(isWithinAgency(code, parent));
        assert.equal(isWithinAgency(parent, code), false);
        // The parent keeps the level-1 unit and differs from the child in exactly one part.
        assert.equal(parent.slice(-3), code.slice(-3));
        const diff = [...code].filter((ch, i) => ch !== parent[i]).length;
        assert.ok(diff >= 1 && diff <= 3);
        assert.equal(ancestorAgencyCodes(code).length, level - 1);
      }),
    );
  });

  it("property: a code is within another exactly when it ends with that one's subtree suffix", () => {
    fc.assert(
      fc.property(validCode, validCode, (a, b) => {
        assert.equal(isWithinAgency(a, b), a.endsWith(subtreeSuffix(b)));
      }),
    );
    // Random pairs rarely share a prefix; also pair each code with its own ancestors.
    fc.assert(
      fc.property(validCode, (code) => {
        for (const anc of ancestorAgencyCodes(code)) assert.ok(code.endsWith(subtreeSuffix(anc)));
      }),
    );
  });
});
