// The font every PDF of motcua is set in: DejaVu Sans, shipped in the repository (assets/fonts, Bitstream Vera
// licence). It covers every Vietnamese letter precomposed, and a font that is part of the program renders the same
// on every server, where a system font or one of the PDF standard 14 (Latin-1 only) would not.
import { fileURLToPath } from "node:url";

export const FONT_FILES = {
  regular: fileURLToPath(new URL("../../assets/fonts/DejaVuSans.ttf", import.meta.url)),
  bold: fileURLToPath(new URL("../../assets/fonts/DejaVuSans-Bold.ttf", import.meta.url)),
};
