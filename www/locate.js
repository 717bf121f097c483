// Where in the payload text an issue points: a tolerant JSON source-position
// locator. Pure functions, no DOM (the browser test imports it in Node too).
//
//   locatePointer(text, "/data/items/0/amount") → { start, end, exact, found }
//   locateOffset(text, issue.offset) → { start, end }   (a syntax error's byte offset)
//
// Ranges are UTF-16 indices into the string (what textarea.setSelectionRange
// takes). The tree is built by a forgiving recursive-descent pass: unterminated
// strings end at the line end, missing commas or colons are skipped, stray
// brackets are stepped over, so a half-typed payload still maps its pointers.

const MAX_DEPTH = 1000;
const DELIMITERS = new Set([",", ":", "[", "]", "{", "}", '"']);

function isSpace(c) {
  return c === " " || c === "\n" || c === "\r" || c === "\t" || c === "\ufeff";
}

/**
 * Parse `text` into a position tree. Nodes:
 *   { kind: "object", start, end, entries: [{ key, keyStart, keyEnd, value }] }
 *   { kind: "array",  start, end, items: [node] }
 *   { kind: "string" | "word", start, end }      (word: numbers, literals, garbage)
 * `value` of an entry may be null (`{"a": }`). Returns null for blank text.
 */
export function parseTree(text) {
  let i = 0;
  const n = text.length;

  function skipSpace() {
    while (i < n && isSpace(text[i])) i++;
  }

  function stringToken() {
    const start = i;
    i++; // opening quote
    while (i < n) {
      const c = text[i];
      if (c === "\\") i += 2;
      else if (c === '"') {
        i++;
        return { kind: "string", start, end: i, closed: true };
      } else if (c === "\n") break; // unterminated: stop at the line end
      else i++;
    }
    if (i > n) i = n;
    return { kind: "string", start, end: i, closed: false };
  }

  function wordToken() {
    const start = i;
    while (i < n && !isSpace(text[i]) && !DELIMITERS.has(text[i])) i++;
    if (i === start) i++; // a lone delimiter where a value should be: step over it
    return { kind: "word", start, end: i };
  }

  function keyOf(tok) {
    const raw = text.slice(tok.start, tok.end);
    if (tok.kind === "string" && tok.closed) {
      try {
        return JSON.parse(raw);
      } catch {
        return raw.slice(1, -1);
      }
    }
    return tok.kind === "string" ? raw.slice(1) : raw;
  }

  function value(depth) {
    skipSpace();
    if (i >= n) return null;
    const c = text[i];
    if (c === "{" && depth < MAX_DEPTH) return object(depth + 1);
    if (c === "[" && depth < MAX_DEPTH) return array(depth + 1);
    if (c === '"') return stringToken();
    return wordToken();
  }

  function object(depth) {
    const node = { kind: "object", start: i, end: n, entries: [] };
    i++; // {
    members(node, depth);
    return node;
  }

  /** Members of `node` up to its closing brace (consumed) or the end of the text. */
  function members(node, depth) {
    for (;;) {
      skipSpace();
      if (i >= n) break;
      const c = text[i];
      if (c === "}") {
        i++;
        node.end = i;
        return;
      }
      if (c === "]") {
        // A stray closer: the array it belongs to is an ancestor, or nobody.
        i++;
        continue;
      }
      if (c === "," || c === ":") {
        i++;
        continue;
      }
      // A key: a string, or a bare word (tolerated so `{oops: 1}` still maps).
      const keyTok = c === '"' ? stringToken() : c === "{" || c === "[" ? null : wordToken();
      if (keyTok === null) {
        // A value where a key should be: parse it to step over it, keep nothing.
        value(depth);
        continue;
      }
      skipSpace();
      let val = null;
      if (text[i] === ":") {
        i++;
        skipSpace();
        if (i < n && text[i] !== "," && text[i] !== "}") val = value(depth);
      }
      node.entries.push({ key: keyOf(keyTok), keyStart: keyTok.start, keyEnd: keyTok.end, value: val });
    }
    node.end = i;
  }

  function array(depth) {
    const node = { kind: "array", start: i, end: n, items: [] };
    i++; // [
    for (;;) {
      skipSpace();
      if (i >= n) break;
      const c = text[i];
      if (c === "]") {
        i++;
        node.end = i;
        return node;
      }
      if (c === "}") {
        // Unclosed array inside an object: end here, the object takes the brace.
        node.end = i;
        return node;
      }
      if (c === ",") {
        i++;
        continue;
      }
      const before = i;
      const v = value(depth);
      if (v) node.items.push(v);
      if (i === before) i++;
    }
    node.end = i;
    return node;
  }

  const root = value(0);
  // Text after the body's closing brace most likely belongs to it (an inner
  // bracket was left open or closed twice): keep reading it as members.
  while (root && root.kind === "object") {
    skipSpace();
    if (i >= n) break;
    members(root, 1);
  }
  return root;
}

/** `"/a~1b/0"` → `["a/b", "0"]`; `""` → `[]`. */
export function pointerTokens(pointer) {
  if (pointer === "") return [];
  return pointer
    .split("/")
    .slice(1)
    .map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/**
 * The text range a JSON Pointer designates in `text`.
 *   exact: the pointer's value was found; the range is the whole value (`"49.00"`, `{…}`).
 *   otherwise the range is the deepest existing ancestor's key (`"customer": {`),
 *   and `found` is the pointer that was found. null when the text is blank.
 * With `tree` (from parseTree) the text is not parsed again.
 */
export function locatePointer(text, pointer, tree = parseTree(text)) {
  if (!tree) return null;
  const tokens = pointerTokens(pointer);
  let node = tree;
  let entry = null; // the entry whose value `node` is, for objects
  let depth = 0;
  for (; depth < tokens.length; depth++) {
    const token = tokens[depth];
    let next = null;
    let nextEntry = null;
    if (node && node.kind === "object") {
      // The last duplicate wins, as in JSON.parse.
      for (let k = node.entries.length - 1; k >= 0; k--) {
        if (node.entries[k].key === token) {
          nextEntry = node.entries[k];
          next = nextEntry.value;
          break;
        }
      }
      if (nextEntry && !next) {
        // The key is there without a value (`"a": ,`): point at the key.
        return { start: nextEntry.keyStart, end: nextEntry.keyEnd, exact: false, found: join(tokens.slice(0, depth + 1)) };
      }
    } else if (node && node.kind === "array" && /^(0|[1-9]\d*)$/.test(token)) {
      next = node.items[Number(token)] ?? null;
    }
    if (!next) break;
    node = next;
    entry = nextEntry;
  }
  if (depth === tokens.length) {
    return { start: node.start, end: node.end, exact: true, found: pointer };
  }
  // Missing below `node`: point at where that parent opens.
  const found = join(tokens.slice(0, depth));
  if (entry) {
    return { start: entry.keyStart, end: Math.min(node.start + 1, node.end), exact: false, found };
  }
  return { start: node.start, end: Math.min(node.start + 1, node.end), exact: false, found };
}

function join(tokens) {
  return tokens.map((t) => "/" + t.replaceAll("~", "~0").replaceAll("/", "~1")).join("");
}

/** UTF-16 index of a UTF-8 byte offset (orderhook's `issue.offset` counts bytes). */
export function indexOfByteOffset(text, offset) {
  let bytes = 0;
  let k = 0;
  while (k < text.length && bytes < offset) {
    const c = text.codePointAt(k);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    k += c >= 0x10000 ? 2 : 1;
  }
  return k;
}

/**
 * The range a syntax error's byte `offset` points at: the token there (a whole
 * string literal or word) or a single character; at the end of the text, its
 * last character.
 */
export function locateOffset(text, offset) {
  const start = indexOfByteOffset(text, offset);
  if (start >= text.length) {
    // End of input: the last non-space character, if any.
    let k = text.length - 1;
    while (k >= 0 && isSpace(text[k])) k--;
    if (k < 0) return { start: text.length, end: text.length };
    const low = text.charCodeAt(k);
    return low >= 0xdc00 && low <= 0xdfff && k > 0 ? { start: k - 1, end: k + 1 } : { start: k, end: k + 1 };
  }
  const c = text[start];
  let end = start + 1;
  if (c === '"') {
    end = start + 1;
    while (end < text.length && text[end] !== "\n") {
      if (text[end] === "\\") end += 2;
      else if (text[end++] === '"') break;
    }
    end = Math.min(end, text.length);
  } else if (!isSpace(c) && !DELIMITERS.has(c)) {
    while (end < text.length && !isSpace(text[end]) && !DELIMITERS.has(text[end])) end++;
  } else if (text.charCodeAt(start) >= 0xd800 && text.charCodeAt(start) <= 0xdbff) {
    end = start + 2;
  }
  return { start, end };
}

/** 1-based line of a UTF-16 index. */
export function lineOfIndex(text, index) {
  let line = 1;
  for (let k = text.indexOf("\n"); k >= 0 && k < index; k = text.indexOf("\n", k + 1)) line++;
  return line;
}

/**
 * Re-indent JSON text without touching a single token (numbers keep their
 * spelling: `10.00` stays `10.00`, unlike JSON.stringify(JSON.parse(…))).
 * Returns null when the text is not well-formed JSON.
 */
export function reindent(text, indent = "  ") {
  try {
    JSON.parse(text);
  } catch {
    return null;
  }
  let out = "";
  let level = 0;
  let i = 0;
  const n = text.length;
  const newline = () => "\n" + indent.repeat(level);
  while (i < n) {
    const c = text[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === "{" || c === "[") {
      // Empty containers stay on one line.
      let j = i + 1;
      while (j < n && isSpace(text[j])) j++;
      if (text[j] === (c === "{" ? "}" : "]")) {
        out += c + text[j];
        i = j + 1;
        continue;
      }
      level++;
      out += c + newline();
      i++;
    } else if (c === "}" || c === "]") {
      level--;
      out += newline() + c;
      i++;
    } else if (c === ",") {
      out += "," + newline();
      i++;
    } else if (c === ":") {
      out += ": ";
      i++;
    } else {
      let j = i;
      while (j < n && !isSpace(text[j]) && !DELIMITERS.has(text[j])) j++;
      out += text.slice(i, j);
      i = j;
    }
  }
  return out + "\n";
}
