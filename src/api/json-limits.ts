/**
 * What a JSON body may hold, checked on its raw text, so that no value is changed on the way
 * in and no walk over it (summaries, the canvas parser, the payload converter, the members
 * tree) can run out of stack. Pure.
 *
 * - Integers must be exact as JavaScript numbers (at most 2^53 - 1 in magnitude): JSON.parse
 *   would round 9007199254740993 to 9007199254740992 without a word. Numbers with a fraction
 *   or an exponent are floats, read as 64-bit doubles as every JSON reader does (Python's
 *   `json` writes floats so that they read back the same), but not past a double's range:
 *   1e400 would become Infinity, then null.
 * - Arrays and objects may nest MAX_JSON_DEPTH levels, the body itself being level 1.
 */

export const MAX_JSON_DEPTH = 256;
const SAFE_DIGITS = 15; // an integer literal of up to 15 characters is below 2^53
const [OPEN_OBJECT, CLOSE_OBJECT, OPEN_ARRAY, CLOSE_ARRAY, COMMA, COLON, QUOTE, MINUS] = [...'{}[],:"-'].map((c) => c.charCodeAt(0));
const NUMBER_PARTS = new Set([...'0123456789.eE+-'].map((c) => c.charCodeAt(0)));
const isDigit = (c: number) => c >= 48 && c <= 57;
const isNumberPart = (c: number) => NUMBER_PARTS.has(c);

interface Frame {
  array: boolean;
  index: number;
  /** An object's current key, as its raw JSON string literal (decoded only for a message). */
  key?: string;
  expectingKey: boolean;
}

/**
 * The first problem of a valid JSON text, as `path: problem` (path `args[0].x`, empty for the
 * body itself), or undefined. Iterative: any depth reads in constant stack.
 */
export function jsonLimitViolation(text: string, maxDepth = MAX_JSON_DEPTH): string | undefined {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (stack.length === maxDepth) return `${pathOf(stack, true)}: nested deeper than ${maxDepth} levels`;
      stack.push({ array: c === OPEN_ARRAY, index: 0, expectingKey: c === OPEN_OBJECT });
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      stack.pop();
    } else if (c === COMMA && top) {
      if (top.array) top.index++;
      else top.expectingKey = true;
    } else if (c === COLON && top) {
      top.expectingKey = false;
    } else if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (top && !top.array && top.expectingKey) top.key = text.slice(i, end + 1);
      i = end;
    } else if (c === MINUS || isDigit(c)) {
      let end = i + 1;
      while (end < text.length && isDigit(text.charCodeAt(end))) end++;
      const integerEnd = end;
      while (end < text.length && isNumberPart(text.charCodeAt(end))) end++;
      const problem = numberProblem(text.slice(i, end), integerEnd === end);
      if (problem) return `${pathOf(stack, false) || 'the body'}: ${problem}`;
      i = end - 1;
    }
  }
  return undefined;
}

/** Why a number literal cannot be read as it was written, if it cannot. */
function numberProblem(literal: string, integer: boolean): string | undefined {
  if (integer) {
    return literal.length > SAFE_DIGITS && !Number.isSafeInteger(Number(literal))
      ? 'integer beyond 2^53 cannot be represented exactly; send it as a string'
      : undefined;
  }
  return Number.isFinite(Number(literal)) ? undefined : 'number beyond the range of a 64-bit float';
}

/** The index of the quote closing the string literal that opens at `start` (the text's end if none). */
function stringEnd(text: string, start: number): number {
  for (let quote = text.indexOf('"', start + 1); ; quote = text.indexOf('"', quote + 1)) {
    if (quote === -1) return text.length;
    let backslashes = 0;
    while (text[quote - 1 - backslashes] === '\\') backslashes++;
    if (backslashes % 2 === 0) return quote;
  }
}

/** The path of the value being read; a long one is cut, as its start says where to look. */
function pathOf(stack: Frame[], cut: boolean): string {
  const shown = cut && stack.length > 8 ? stack.slice(0, 8) : stack;
  const path = shown.map((frame, depth) => (frame.array ? `[${frame.index}]` : `${depth ? '.' : ''}${JSON.parse(frame.key ?? '""')}`)).join('');
  return shown === stack ? path : `${path}…`;
}
