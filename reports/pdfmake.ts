// The one pdfmake setup of forensight (readiness report and incident report): a private pdfmake instance with the
// Roboto fonts shipped in the pdfmake package, remote URLs refused and local reads limited to the font directory.
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';

// pdfmake has no bundled types; describe the small part we use.

/** A pdfmake content node. Strings are always text: pdfmake interprets no markup in them. */
export type Content = Record<string, unknown> | string | Content[];

interface PdfMakeOutput {
  getBuffer(): Promise<Buffer>;
}
interface PdfMakeInstance {
  setFonts(fonts: Record<string, Record<string, string>>): void;
  setUrlAccessPolicy(cb: (url: string) => boolean): void;
  setLocalAccessPolicy(cb: (path: string) => boolean): void;
  createPdf(doc: Record<string, unknown>, options?: Record<string, unknown>): PdfMakeOutput;
}

const require = createRequire(import.meta.url);

let fontDirCache: string | null = null;
/** Directory of the Roboto fonts shipped in the pdfmake package. */
export function pdfFontDir(): string {
  if (!fontDirCache) fontDirCache = join(dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
  return fontDirCache;
}

function newPdfMake(): PdfMakeInstance {
  // The package exports a singleton; build a private instance of the same class so settings never leak.
  const shared = require('pdfmake') as PdfMakeInstance;
  const Ctor = (shared as unknown as { constructor: new () => PdfMakeInstance }).constructor;
  const inst = new Ctor();
  const dir = pdfFontDir();
  inst.setFonts({
    Roboto: {
      normal: join(dir, 'Roboto-Regular.ttf'),
      bold: join(dir, 'Roboto-Medium.ttf'),
      italics: join(dir, 'Roboto-Italic.ttf'),
      bolditalics: join(dir, 'Roboto-MediumItalic.ttf'),
    },
  });
  inst.setUrlAccessPolicy(() => false);
  const root = resolve(dir) + sep;
  inst.setLocalAccessPolicy((p: string) => typeof p === 'string' && resolve(p).startsWith(root));
  return inst;
}

/** Renders a pdfmake document definition (font 'Roboto') to PDF bytes on a fresh, locked-down instance. */
export async function renderPdfDocument(doc: Record<string, unknown>): Promise<Buffer> {
  return newPdfMake().createPdf(doc).getBuffer();
}

/** Lets long ARNs and ids wrap inside table cells. */
export function breakable(s: string): string {
  return s.replace(/([:/,._-])/g, '$1\u200b');
}

/** Number of pages in a PDF produced by pdfmake (pdfkit writes page objects uncompressed). */
export function countPdfPages(pdf: Buffer): number {
  const m = pdf.toString('latin1').match(/\/Type \/Page\b/g);
  return m ? m.length : 0;
}

/**
 * The running header (from page 2: the report's name left, its identity right) and the "Page N of M" footer that
 * every forensight PDF shares. `titleWidth` fixes the left column when the right one can be long.
 */
export function pageFrame(
  title: string,
  right: string,
  color: string,
  titleWidth?: number,
): { header: (page: number) => Content | null; footer: (page: number, pages: number) => Content } {
  const width = titleWidth === undefined ? {} : { width: titleWidth };
  return {
    header: (page) =>
      page === 1
        ? null
        : {
            columns: [
              { text: title, bold: true, ...width },
              { text: right, alignment: 'right', ...(titleWidth === undefined ? {} : { width: '*' }) },
            ],
            margin: [40, 20, 40, 0],
            fontSize: 8,
            color,
          },
    footer: (page, pages) => ({ text: `Page ${page} of ${pages}`, alignment: 'center', fontSize: 8, color, margin: [0, 15, 0, 0] }),
  };
}
