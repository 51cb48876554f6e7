import MiniSearch from 'minisearch';
import { stemmer } from 'stemmer';
import { eng } from 'stopword';

/**
 * How ticket text becomes index terms: MiniSearch's own tokenizer (Unicode letters and
 * digits, split on spaces and punctuation), lower-cased, stop words dropped, then the Porter
 * stemmer, so "printing", "prints" and "printed" meet as "print". `stemmer` (wooorm) and
 * `stopword` are small, maintained packages; a hand-written stemmer would be neither.
 */

/**
 * Words every helpdesk ticket uses: they say nothing about what went wrong, and matching
 * on them would rank unrelated tickets together.
 */
const helpdeskFillers = [
  'please', 'help', 'issue', 'issues', 'problem', 'problems', 'request', 'requests', 'ticket', 'user', 'users',
  'need', 'needs', 'can', 'cannot', 'cant', 'unable', 'not', 'working', 'work', 'works', 'again', 'since', 'still',
  'today', 'yesterday', 'morning', 'new', 'get', 'gets', 'got', 'keep', 'keeps', 'via', 'per',
];

const stopWords = new Set<string>([...eng, ...helpdeskFillers]);

export const tokenize: (text: string) => string[] = MiniSearch.getDefault('tokenize') as (text: string) => string[];

/** One token to its index term, or null to drop it (stop words, single characters, short numbers). */
export function processTerm(token: string): string | null {
  const word = token.toLowerCase();
  if (word.length < 2 || stopWords.has(word)) return null;
  // Short numbers ("3", "24") are noise; longer ones (error codes, models) are kept.
  if (/^\d+$/.test(word) && word.length < 3) return null;
  return stemmer(word);
}

/**
 * The index terms of a text, each with the first word that produced it, so an explanation
 * can say "matches: jammed" rather than the stem "jam".
 */
export function termsOf(text: string): Map<string, string> {
  const terms = new Map<string, string>();
  for (const token of tokenize(text)) {
    const term = processTerm(token);
    if (term !== null && !terms.has(term)) terms.set(term, token.toLowerCase());
  }
  return terms;
}
