// segkit rows: turns rows given by a program into CSV text for the engine's
// file reader, so that rows passed to the widget or the JavaScript API are
// typed exactly as a file on the page is (numbers, dates, categories,
// identifiers, missing cells). Loaded by widget.html and bridge.html, which
// run on segkit's own origin; the host page never needs it.
//
// Accepted shapes:
//   - an array of objects, keys = column names: the columns are every key
//     met, in the order first met; a key absent from a row is a missing cell;
//   - a header and rows: [["name", "spend"], ["Ada", 12.5], ...].
// Cells: strings as they are; finite numbers (JavaScript's shortest form);
// booleans as true/false; Date objects as 2024-05-01T12:00:00Z; null,
// undefined and NaN as missing. Anything else (objects, arrays, Infinity,
// functions) is refused with the row and column named.
'use strict';

(() => {
  // Limits: a CSV of the rows must stay below the engine's 1 GiB, and a
  // program passing more should pass a File instead.
  const MAX_ROWS = 5000000;
  const MAX_COLUMNS = 10000;

  // RowsError is a refusal with a stable code, as the engine's errors.
  class RowsError extends Error {
    constructor(message) {
      super(message);
      this.name = 'SegkitError';
      this.code = 'bad_rows';
    }
  }

  // cell returns the CSV field of value v at data row r (from 1), column c.
  function cell(v, r, c) {
    let s;
    switch (typeof v) {
      case 'string':
        s = v;
        break;
      case 'number':
        if (Number.isNaN(v)) return '';
        if (!Number.isFinite(v)) throw new RowsError(`row ${r}, column "${c}": ${v} is not a finite number`);
        s = String(v);
        break;
      case 'boolean':
        return v ? 'true' : 'false';
      case 'undefined':
        return '';
      case 'bigint':
        s = v.toString();
        break;
      case 'object':
        if (v === null) return '';
        if (v instanceof Date) {
          if (Number.isNaN(v.getTime())) throw new RowsError(`row ${r}, column "${c}": an invalid Date`);
          return v.toISOString().slice(0, 19) + 'Z';
        }
        throw new RowsError(`row ${r}, column "${c}": ${Array.isArray(v) ? 'an array' : 'an object'}; expected a string, number, boolean, Date or null`);
      default:
        throw new RowsError(`row ${r}, column "${c}": a ${typeof v}; expected a string, number, boolean, Date or null`);
    }
    return /[",\r\n]/.test(s) || s !== s.trim() ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  // toCSV returns the CSV text (header line first, "\n" line ends) of rows.
  function toCSV(rows) {
    if (!Array.isArray(rows)) throw new RowsError('rows must be an array: of objects, or a header and rows of arrays');
    if (rows.length === 0) throw new RowsError('no rows: the array is empty');
    if (rows.length > MAX_ROWS) throw new RowsError(`${rows.length} rows; at most ${MAX_ROWS} can be passed as an array — pass a File instead`);
    let header;
    let body;
    if (Array.isArray(rows[0])) {
      header = rows[0];
      body = rows.slice(1);
      header.forEach((h, j) => {
        if (typeof h !== 'string' || h.trim() === '') throw new RowsError(`the header's column ${j + 1} must be a non-empty string`);
      });
      if (body.length === 0) throw new RowsError('a header but no data rows');
      body.forEach((row, i) => {
        if (!Array.isArray(row)) throw new RowsError(`row ${i + 1}: an array like the header was expected`);
        if (row.length !== header.length) throw new RowsError(`row ${i + 1}: ${row.length} cells, the header has ${header.length}`);
      });
    } else {
      const seen = new Map();
      rows.forEach((row, i) => {
        if (row === null || typeof row !== 'object' || Array.isArray(row)) {
          throw new RowsError(`row ${i + 1}: an object of cells by column name was expected`);
        }
        for (const k of Object.keys(row)) {
          if (!seen.has(k)) {
            if (k.trim() === '') throw new RowsError(`row ${i + 1}: a column with an empty name`);
            seen.set(k, seen.size);
          }
        }
      });
      header = [...seen.keys()];
      body = rows;
    }
    if (header.length > MAX_COLUMNS) throw new RowsError(`${header.length} columns; at most ${MAX_COLUMNS}`);
    if (new Set(header).size !== header.length) throw new RowsError('two columns of the header have the same name');
    const out = [header.map((h, j) => cell(h, 0, j + 1)).join(',')];
    const arrays = Array.isArray(body[0]);
    for (let i = 0; i < body.length; i++) {
      const row = body[i];
      out.push(header.map((h, j) => cell(arrays ? row[j] : row[h], i + 1, h)).join(','));
    }
    return out.join('\n') + '\n';
  }

  self.SegkitRows = Object.freeze({ toCSV, RowsError });
})();
