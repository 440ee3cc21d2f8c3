// A value given a secret's name in free text: `password=…`, `PASSWORD: …`, `"api_key": "…"`, `export DB_PASSWORD=…`,
// `--token …`, a YAML `secret: …`. The value is masked and the name kept, so the text still reads. Loaded with the
// token-format rules (./token-formats.ts): a hook needs it only for text that names a secret (see ./redact.ts).
import { SECRET_NAME } from './secret-name.js';

const MASK = '[redacted]';
// The name ends at the keyword, so `max_tokens: 8`, `password_file=…` and `the password field` are no pairs.
const NAMED = `[\\w.-]*?(?:${SECRET_NAME.source})`;
// `--token x`, `--token=x`.
const FLAG = `--?${NAMED}(?:=|([ \\t]+))`;
// `name=`, `name = `, `name: `, `"name": ` (in JSON quoted in a string too), `**Name:** `, `Authorization: Token `.
const KEY =
  `(?:["'\`]|\\*\\*)?${NAMED}\\\\?(?:["'\`]|\\*\\*)?` +
  `(?:[ \\t]*(:)\\**[ \\t]*(?:(?:Bearer|Basic|Token|Digest)[ \\t]+)?|=|[ \\t]+=[ \\t]+)`;
// Quoted (then it may hold spaces), or a run up to a space, a quote, `&` or `;` (`token=…&user=…`).
const VALUE = `(?:\\\\?(["'\`])(.*?)\\\\?\\3|([^\\s"'\`&;][^\\s"\`&;]*))`;
const SECRET_PAIR = new RegExp(`(?<![\\w.-])(?:${FLAG}|${KEY})${VALUE}`, 'gi');
// Values that hide nothing: none, one masked already (a URL's query), a variable's name, a placeholder (`--token
// TOKEN`, `<token>`).
const NO_VALUE = /^(?:none|null|nil|undefined|unset|empty|true|false)[.,;]?$/i;
const PLACEHOLDER = /^(?:\[redacted\].*|\*{3,}\S{0,2}|\.{3}|…|<.*>|\$\{?[A-Z_][A-Z\d_]*\}?|[A-Z]+(?:_[A-Z]+)*)[.,;]?$/;

/**
 * `text` with the values of its secret-named pairs masked. After `name:` or `--name `, one word followed by more words
 * on its line is a sentence (`the token: it expired`, `--token on the command line is seen`), not a value.
 */
export function withoutSecretPairs(text: string): string {
  if (!SECRET_NAME.test(text)) return text;
  return text.replace(
    SECRET_PAIR,
    (all, spaced?: string, sep?: string, quote?: string, quoted?: string, bare?: string, at = 0): string => {
      const value = quoted ?? bare ?? '';
      if (!value || NO_VALUE.test(value) || PLACEHOLDER.test(value)) return all;
      const prose = (sep === ':' || spaced !== undefined) && !quote && /^[a-z']+[.,;:!?]?$/i.test(value);
      if (prose && /^[ \t]+\S/.test(text.slice(at + all.length))) return all;
      const start = all.lastIndexOf(value);
      return `${all.slice(0, start)}${MASK}${all.slice(start + value.length)}`;
    },
  );
}
