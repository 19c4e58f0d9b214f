// Lenient, precise access to a parsed element: children by local name, required or optional, text trimmed, and
// every error naming the path of the element (e.g. `edXMLHeader/MessageHeader/To[2]/OrganId`).
import { EdxmlError } from "./errors.ts";
import { checkDate, checkTimestamp, readCount } from "./values.ts";
import type { XmlElement } from "./xml.ts";

export class Node {
  readonly el: XmlElement;
  readonly path: string;

  constructor(el: XmlElement, path: string) {
    this.el = el;
    this.path = path;
  }

  private childPath(name: string): string {
    return this.path ? `${this.path}/${name}` : name;
  }

  /** Every child of that name, in order (paths `Name[1]`, `Name[2]`…). */
  all(name: string): Node[] {
    return this.el.children
      .filter((c) => c.name === name)
      .map((c, i) => new Node(c, this.childPath(`${name}[${i + 1}]`)));
  }

  /** The child of that name, if any; more than one is an error (which would a reader believe?). */
  opt(name: string): Node | undefined {
    const found = this.el.children.filter((c) => c.name === name);
    if (found.length > 1) throw new EdxmlError(this.childPath(name), `appears ${found.length} times (at most once)`);
    return found[0] && new Node(found[0], this.childPath(name));
  }

  one(name: string): Node {
    const found = this.opt(name);
    if (!found) throw new EdxmlError(this.childPath(name), "missing");
    return found;
  }

  /** This element's text (trimmed); an element holding elements is not text. */
  ownText(): string {
    const first = this.el.children[0];
    if (first) throw new EdxmlError(this.path, `should hold text, holds the element <${first.name}>`);
    return this.el.text;
  }

  /** A required, non-empty text child. */
  text(name: string): string {
    const node = this.one(name);
    const value = node.ownText();
    if (value === "") throw new EdxmlError(node.path, "empty");
    return value;
  }

  /** An optional text child: absent or empty is `undefined`. */
  optText(name: string): string | undefined {
    const value = this.opt(name)?.ownText();
    return value === "" ? undefined : value;
  }

  date(name: string): string {
    return checkDate(this.text(name), this.childPath(name));
  }

  optDate(name: string): string | undefined {
    const value = this.optText(name);
    return value === undefined ? undefined : checkDate(value, this.childPath(name));
  }

  timestamp(name: string): string {
    return checkTimestamp(this.text(name), this.childPath(name));
  }

  count(name: string): number {
    return readCount(this.text(name), this.childPath(name));
  }

  optCount(name: string): number | undefined {
    const value = this.optText(name);
    return value === undefined ? undefined : readCount(value, this.childPath(name));
  }

  /** The non-empty texts of a list's items (`ToPlaces/Place*`); empty items, which some builders write, are skipped. */
  texts(list: string, item: string): string[] {
    const node = this.opt(list);
    if (!node) return [];
    return node
      .all(item)
      .map((n) => n.ownText())
      .filter((t) => t !== "");
  }

  /** An attribute by local name, whatever its prefix (`xlink:href`, `href`). */
  attr(local: string): string | undefined {
    for (const [k, v] of Object.entries(this.el.attrs)) {
      if (k.slice(k.indexOf(":") + 1) === local) return v.trim();
    }
    return undefined;
  }
}

/** Sets `key` on `target` only when the value is defined (so optional fields stay absent, not `undefined`-valued). */
export function put<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}
