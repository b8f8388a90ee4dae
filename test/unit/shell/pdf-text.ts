/**
 * Reads the text of a PDF written by Chromium (page.pdf / webContents.printToPDF): Type0 fonts with
 * Identity-H codes and a ToUnicode CMap, Flate-compressed content streams, no object streams. It
 * is a test helper for exactly that producer, not a general PDF parser.
 */
import { inflateSync } from 'node:zlib';

interface PdfObject {
  dict: string;
  stream?: Buffer;
}

function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\s*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const start = re.lastIndex;
    const end = text.indexOf('endobj', start);
    const body = text.slice(start, end);
    const streamAt = body.indexOf('stream');
    if (streamAt === -1) {
      objects.set(Number(m[1]), { dict: body });
      continue;
    }
    const dict = body.slice(0, streamAt);
    let dataStart = start + streamAt + 'stream'.length;
    if (text[dataStart] === '\r') dataStart += 1;
    if (text[dataStart] === '\n') dataStart += 1;
    const dataEnd = text.indexOf('endstream', dataStart);
    let data = pdf.subarray(dataStart, dataEnd);
    if (/\/Filter\s*\/FlateDecode/.test(dict)) data = inflateSync(data);
    objects.set(Number(m[1]), { dict, stream: data });
    re.lastIndex = end;
  }
  return objects;
}

function hexCodes(hex: string): number[] {
  const codes: number[] = [];
  for (let i = 0; i + 4 <= hex.length; i += 4) codes.push(parseInt(hex.slice(i, i + 4), 16));
  return codes;
}

function utf16(hex: string): string {
  return String.fromCharCode(...hexCodes(hex));
}

function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code, uni] of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(parseInt(code ?? '0', 16), utf16(uni ?? ''));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, uni] of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const first = parseInt(uni ?? '0', 16);
      for (let c = parseInt(lo ?? '0', 16); c <= parseInt(hi ?? '0', 16); c++) map.set(c, String.fromCharCode(first + c - parseInt(lo ?? '0', 16)));
    }
  }
  return map;
}

export interface PdfText {
  pages: number;
  /** The text of every page in order; text blocks (BT..ET) on their own lines. */
  text: string;
}

export function pdfText(pdf: Buffer): PdfText {
  const objects = readObjects(pdf);
  const fontMaps = new Map<number, Map<number, string>>();
  const fontMap = (objNum: number): Map<number, string> => {
    let map = fontMaps.get(objNum);
    if (!map) {
      const ref = /\/ToUnicode\s+(\d+) 0 R/.exec(objects.get(objNum)?.dict ?? '');
      map = parseToUnicode(ref ? (objects.get(Number(ref[1]))?.stream?.toString('latin1') ?? '') : '');
      fontMaps.set(objNum, map);
    }
    return map;
  };
  const pageObjects = [...objects.entries()].filter(([, o]) => /\/Type\s*\/Page\b(?!s)/.test(o.dict)).sort(([a], [b]) => a - b);
  const lines: string[] = [];
  for (const [, page] of pageObjects) {
    const fonts = new Map<string, number>();
    const fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(page.dict)?.[1] ?? '';
    for (const [, name, num] of fontDict.matchAll(/\/(\w+)\s+(\d+) 0 R/g)) fonts.set(name ?? '', Number(num));
    const contents = /\/Contents\s+(\d+) 0 R/.exec(page.dict);
    const content = contents ? (objects.get(Number(contents[1]))?.stream?.toString('latin1') ?? '') : '';
    let current = new Map<number, string>();
    let line = '';
    for (const tok of content.matchAll(/\/(\w+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>|\b(ET)\b/g)) {
      if (tok[1] !== undefined) current = fontMap(fonts.get(tok[1]) ?? -1);
      else if (tok[2] !== undefined) line += hexCodes(tok[2]).map((c) => current.get(c) ?? '').join('');
      else {
        lines.push(line);
        line = '';
      }
    }
  }
  return { pages: pageObjects.length, text: lines.join('\n') };
}
