// Links to a dossier's files for the national portal (TaiLieuNop.DuongDanTaiTepTin,
// DanhSachGiayToKetQua.DuongDanTepTinKetQua): the portal fetches them without an account here, so each link
// carries its own permission, an HMAC-SHA256 of the file id and an expiry under a secret of this node
// (`nodeSecret(config, "file-links")`), checked by GET /api/file-links/{fileId}. A link cannot be made to
// another file or made to last longer without the secret.
import { createHmac, timingSafeEqual } from "node:crypto";

/** How long a link sent to the portal stays valid: long enough for a message that waited out an outage. */
export const FILE_LINK_TTL_MS = 30 * 24 * 3_600_000;

export const FILE_LINK_PATH = "/api/file-links";

export interface FileLinks {
  /** The absolute URL of `fileId`, valid until `now + ttl`. */
  url(fileId: string, now: Date): string;
  /** Whether `sig` is this node's signature of `fileId` until `exp` (seconds since the epoch), and `exp` is still ahead. */
  verify(fileId: string, exp: string, sig: string, now: Date): boolean;
}

export function makeFileLinks(opts: { secret: string; publicUrl: string; ttlMs?: number }): FileLinks {
  const ttl = opts.ttlMs ?? FILE_LINK_TTL_MS;
  const mac = (fileId: string, exp: string) => createHmac("sha256", opts.secret).update(`dossier-file\n${fileId}\n${exp}`).digest("base64url");
  return {
    url(fileId, now) {
      const exp = String(Math.floor((now.getTime() + ttl) / 1000));
      return `${opts.publicUrl}${FILE_LINK_PATH}/${encodeURIComponent(fileId)}?exp=${exp}&sig=${mac(fileId, exp)}`;
    },
    verify(fileId, exp, sig, now) {
      if (!/^\d{1,12}$/.test(exp) || Number(exp) * 1000 <= now.getTime()) return false;
      const want = Buffer.from(mac(fileId, exp));
      const got = Buffer.from(sig);
      return got.length === want.length && timingSafeEqual(got, want);
    },
  };
}
