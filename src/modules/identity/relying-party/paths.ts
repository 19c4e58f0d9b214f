// Where the portal and the office, relying parties of motcua's OpenID provider, sign people in and out.
import type { RelyingParty } from "../service.ts";

export interface PartyPaths {
  /** The OIDC client id registered for the party (oidc/provider.ts). */
  clientId: string;
  /** Starts the code flow: `?next=` is where to come back to. */
  signIn: string;
  /** The registered redirect URI's path. */
  callback: string;
  signOut: string;
  /** Where a person lands after signing out (the registered post-logout redirect URI's path) or by default. */
  home: string;
}

export const PARTIES: Readonly<Record<RelyingParty, PartyPaths>> = {
  portal: { clientId: "motcua-portal", signIn: "/auth/dang-nhap", callback: "/auth/callback", signOut: "/auth/dang-xuat", home: "/" },
  office: {
    clientId: "motcua-office",
    signIn: "/office/auth/dang-nhap",
    callback: "/office/auth/callback",
    signOut: "/office/auth/dang-xuat",
    home: "/office",
  },
};

/** The party's sign-in, coming back to `next` (a local path) afterwards. */
export const signInHref = (rp: RelyingParty, next: string) => `${PARTIES[rp].signIn}?next=${encodeURIComponent(next)}`;
