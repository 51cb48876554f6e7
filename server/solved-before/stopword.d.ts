// `stopword` ships no type declarations (its package.json names an index.d.ts it does not
// include); this declares the one list the ranking imports.
declare module 'stopword' {
  /** English stop words, lower-case. */
  export const eng: readonly string[];
}
