/**
 * CSV read back for the tests (RFC 4180, as the call list export writes it: commas, `""` for a
 * quote inside a quoted field, CRLF at the end of each record). Throws when the text does not
 * end with a record's CRLF.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let k = 0; k < text.length; k++) {
    const ch = text[k]!;
    if (quoted) {
      if (ch === '"' && text[k + 1] === '"') (field += '"'), k++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[k + 1] === '\n') {
      row.push(field);
      rows.push(row);
      (row = []), (field = ''), k++;
    } else field += ch;
  }
  if (field || row.length || quoted) throw new Error('CSV: the last record does not end with CRLF');
  return rows;
}

/** The records as objects by the header's names. */
export function csvRecords(text: string): Array<Record<string, string>> {
  const [head, ...body] = parseCsv(text);
  return body.map((r) => Object.fromEntries(head!.map((h, k) => [h, r[k]!])));
}
