/** A PDF's text (unpdf, i.e. PDF.js), every page, with runs of whitespace made one space: what a reader of the document sees. */
import { extractText } from 'unpdf';

export async function pdfText(pdf: Buffer | Uint8Array): Promise<string> {
  const { text } = await extractText(new Uint8Array(pdf), { mergePages: true });
  return text.replace(/\s+/g, ' ').trim();
}

/** GETs a document PDF (with a bearer token, or none for a signed link); its status and, when 200, its text. */
export async function fetchPdf(url: string, token?: string): Promise<{ status: number; text: string | null; contentType: string | null }> {
  const response = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  if (response.status !== 200) return { status: response.status, text: null, contentType: response.headers.get('content-type') };
  return { status: 200, text: await pdfText(Buffer.from(await response.arrayBuffer())), contentType: response.headers.get('content-type') };
}
