// ESLint flat config. Process boundaries are kept by import restrictions per folder; see
// ../shared/STYLE.md ("Boundaries you can see and that the linter keeps").
import js from '@eslint/js'
import globals from 'globals'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'net',
  'tls',
  'crypto',
  'child_process',
  'http',
  'https',
  'stream',
  'events',
  'url',
  'util',
  'worker_threads',
]
const nodeImports = nodeBuiltins.flatMap((name) => [name, `node:${name}`])

// An unnumbered to-do mark is an error: every known shortcoming names its issue, as in TODO(#4).
const todoNeedsIssue = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    return {
      Program() {
        for (const comment of context.sourceCode.getAllComments()) {
          if (/\b(TODO|FIXME)\b(?!\(#\d+\))/.test(comment.value)) {
            context.report({ loc: comment.loc, message: 'Mark a shortcoming as TODO(#N).' })
          }
        }
      },
    }
  },
}

function restrict(patterns) {
  return { 'no-restricted-imports': ['error', { patterns }] }
}

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'release/',
      'shared/gen/',
      'bench/results/',
      'test-results/',
      'playwright-report/',
      '.tack/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { tack: { rules: { 'todo-needs-issue': todoNeedsIssue } } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-console': 'error',
      'tack/todo-needs-issue': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: restrict([
      {
        group: ['**/electron/**', '**/renderer/**', '**/server/**', 'electron'],
        message: 'shared/ imports nothing from other folders.',
      },
      { group: nodeImports, message: 'shared/ runs in the renderer too: no Node modules.' },
    ]),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict([
        {
          group: ['electron', '**/electron/**', '**/server/**'],
          message: 'The renderer reaches the core only through HostApi.',
        },
        { group: nodeImports, message: 'The renderer has no Node modules.' },
      ]),
    },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/browser-host/**/*.ts'],
    rules: restrict([
      {
        group: ['electron', '**/renderer/**', '**/server/**'],
        message: 'The core is plain Node: no electron, no renderer, no server.',
      },
    ]),
  },
  {
    files: ['server/**/*.ts'],
    rules: restrict([
      {
        group: ['electron', '**/electron/**', '**/renderer/**'],
        message: 'The server shares only shared/ with the client.',
      },
    ]),
  },
  {
    files: ['sdk/dd/**/*.ts', 'demo-microapp/web/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict([
      { group: nodeImports, message: 'A micro-app page has no Node modules.' },
      {
        group: ['electron', '**/electron/**', '**/renderer/**', '**/server/**'],
        message: 'The dd SDK and micro-app pages see only the JS-API contract in shared/jsapi.',
      },
    ]),
  },
  {
    files: ['shared/logger.ts'],
    rules: { 'no-console': 'off' },
  },
)
