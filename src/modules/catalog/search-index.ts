// The catalogue's search, answered from each node's memory: the published procedures' words, read once from
// the database (PostgreSQL's own `vietnamese` text-search configuration made them) and kept until a
// publication on any node tells every node to read them again (the signal `catalog.published`).
//
// A province publishes a few thousand procedures and changes them a few times a day, while citizens search
// all day long, each query different: every search answered by SQL cost the database a few hundred matches
// read and ordered for a common word (1,057 searches/s on the 2-core machine, p99 127 ms). Here a search is
// the intersection of a few sorted lists in memory (10,000 procedures take a few megabytes per node).
//
// The rules are those of the SQL they replace (repo.searchProcedures, repo.correctWords):
// - a word matches a whole syllable or number, unaccented and in lower case ("dang ky" finds "Đăng ký");
// - the procedures whose name has every word come first, then those whose summary or field completes it;
//   within each, the shorter name first, then the name in the database's collation, then the code;
// - a query with no match has its unknown words corrected against the catalogue's vocabulary: within one edit
//   for three letters, two for longer ones, the nearest first, then the most trigrams in common (pg_trgm's
//   similarity), then the word.
import { distance } from "fastest-levenshtein";
import type { ListedRow } from "./present.ts";

/** A procedure as the index keeps it: what a result shows, its words and its two places in order. */
export interface IndexedProcedure extends ListedRow {
  /** The lexemes of its name. */
  nameWords: string[];
  /** The lexemes of its name, summary and field. */
  words: string[];
  /** Its place in the order of results: the shorter name first, then the name, then the code. */
  rank: number;
  /** Its place in name order (a search without words lists by name). */
  alpha: number;
}

export interface IndexFilter {
  /** The words to find (lexemes); null lists every procedure in name order. */
  words: string[] | null;
  fieldCode: string | null;
  /** Subtree suffix of an agency (`directory/codes.subtreeSuffix`): its own code for a leaf. */
  agencySuffix: string | null;
  onlineLevel: string | null;
  audience: string | null;
  limit: number;
  offset: number;
}

export interface CorrectedWord {
  typed: string;
  known: boolean;
  suggestion: string | null;
}

export interface SearchIndex {
  /** Published procedures with every word and matching the filters, best first; `limit` rows at most after `offset`. */
  search(f: IndexFilter): ListedRow[];
  /** Each word of `text` (unaccented, lower case) and, when it is not in the vocabulary, its closest word there. */
  correct(text: string): CorrectedWord[];
}

/** Lower case without diacritics, as `vn_unaccent` (đ is d). */
export function unaccent(text: string): string {
  return text.normalize("NFD").replace(/\p{M}+/gu, "").replace(/[đĐ]/g, "d").toLowerCase();
}

/**
 * The words a query searches for, as the `vietnamese` configuration (a copy of `simple`) reads them — for the
 * plain text that citizens type: unaccented runs of Vietnamese letters and digits between spaces and common
 * punctuation. Null for any other text (a hyphen, a dot, a slash, a symbol, another script), whose words
 * PostgreSQL's parser must read itself (it makes "covid" and "-19" of "Covid-19", one number of "1.002755", a
 * path of "dat/nuoc").
 */
export function plainWords(text: string): string[] | null {
  const plain = unaccent(text);
  if (!/^[a-z0-9\s,;:!?()"']*$/.test(plain)) return null;
  return plain.split(/[^a-z0-9]+/).filter((w) => w !== "");
}

/** The words a correction looks at: as `regexp_split_to_array(vn_unaccent(text), '[^a-z0-9]+')`. */
function typedWords(text: string): string[] {
  return unaccent(text)
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
}

/** pg_trgm's trigrams of one word: padded with two blanks before and one after. */
function trigrams(word: string): Set<string> {
  const padded = `  ${word} `;
  const set = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) set.add(padded.slice(i, i + 3));
  return set;
}

/** pg_trgm's `similarity`: the trigrams in common over the trigrams of either. */
export function similarity(a: string, b: string): number {
  const ta = trigrams(a);
  const tb = trigrams(b);
  let common = 0;
  for (const t of ta) if (tb.has(t)) common++;
  const union = ta.size + tb.size - common;
  return union === 0 ? 0 : common / union;
}

/** The positions (ascending) of the procedures holding every one of `words` (at least one), [] when one is unknown. */
function intersect(postings: Map<string, number[]>, words: string[]): number[] {
  const lists: number[][] = [];
  for (const w of new Set(words)) {
    const list = postings.get(w);
    if (!list) return [];
    lists.push(list);
  }
  lists.sort((a, b) => a.length - b.length);
  let result = lists[0]!;
  for (const other of lists.slice(1)) {
    const next: number[] = [];
    let j = 0;
    for (const r of result) {
      while (j < other.length && other[j]! < r) j++;
      if (j === other.length) break;
      if (other[j] === r) next.push(r);
    }
    result = next;
    if (result.length === 0) break;
  }
  return result;
}

/** Builds the index over the published procedures and the vocabulary (the words of every version ever listed). */
export function buildSearchIndex(rows: IndexedProcedure[], vocabulary: Iterable<string>): SearchIndex {
  const byRank = [...rows].sort((a, b) => a.rank - b.rank);
  const byName = [...rows].sort((a, b) => a.alpha - b.alpha);
  const nameIndex = new Map<string, number[]>();
  const wordIndex = new Map<string, number[]>();
  byRank.forEach((p, at) => {
    for (const w of new Set(p.nameWords)) (nameIndex.get(w) ?? nameIndex.set(w, []).get(w)!).push(at);
    for (const w of new Set(p.words)) (wordIndex.get(w) ?? wordIndex.set(w, []).get(w)!).push(at);
  });
  const vocab = new Set(vocabulary);
  for (const w of wordIndex.keys()) vocab.add(w);
  const vocabList = [...vocab].sort();

  const passes = (p: ListedRow, f: IndexFilter): boolean =>
    (f.fieldCode === null || p.fieldCode === f.fieldCode) &&
    (f.onlineLevel === null || p.onlineLevel === f.onlineLevel) &&
    (f.audience === null || p.audience.includes(f.audience)) &&
    (f.agencySuffix === null || p.agencyCodes.some((c) => c.length >= f.agencySuffix!.length && c.endsWith(f.agencySuffix!)));

  function closest(word: string): string | null {
    if (word.length < 3) return null;
    const most = word.length === 3 ? 1 : 2;
    let best: { word: string; edits: number; similar: number } | null = null;
    for (const w of vocabList) {
      if (Math.abs(w.length - word.length) > most) continue;
      const edits = distance(w, word);
      if (edits > most || (best && edits > best.edits)) continue;
      const similar = similarity(w, word);
      // vocabList is sorted, so on a tie the first word seen stays.
      if (!best || edits < best.edits || similar > best.similar) best = { word: w, edits, similar };
    }
    return best?.word ?? null;
  }

  return {
    search(f) {
      const want = f.offset + f.limit;
      const { words } = f;
      const found: ListedRow[] = [];
      if (words === null) {
        for (const p of byName) if (passes(p, f) && found.push(p) >= want) break;
        return found.slice(f.offset);
      }
      if (words.length === 0) return []; // signs only: no word to search for, as plainto_tsquery
      const named = intersect(nameIndex, words);
      for (const at of named) if (passes(byRank[at]!, f) && found.push(byRank[at]!) >= want) return found.slice(f.offset);
      const inNamed = new Set(named);
      for (const at of intersect(wordIndex, words)) {
        if (inNamed.has(at) || !passes(byRank[at]!, f)) continue;
        if (found.push(byRank[at]!) >= want) break;
      }
      return found.slice(f.offset);
    },

    correct(text) {
      return typedWords(text).map((typed) => {
        const known = vocab.has(typed);
        return { typed, known, suggestion: known ? typed : closest(typed) };
      });
    },
  };
}
