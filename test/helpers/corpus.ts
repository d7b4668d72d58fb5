/** ../shared/corpus/china-ai/EXPECTED.md's "Must never appear" list, shared by the tests that read that corpus. */
export const CORPUS_MUST_NEVER_APPEAR: readonly string[] = [
  'Log in or register to comment',
  'No comments yet',
  'Be the first to comment',
  'Comments (0)',
  '← Back to stories',
  'View original source →',
  'Photo by Google DeepMind on Pexels',
  '[Photo: Kuaishou]',
  'Publish Date:',
  'Source Domain:',
  'AI-RADAR focuses precisely',
  '/llm-onpremise',
];
