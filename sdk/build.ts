// Builds the dd SDK into one script (an IIFE that sets window.dd) and its types (dd.d.ts).
// `npm run build:sdk` writes both to dist/sdk/; the demo micro-app builds it in memory.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { build } from 'esbuild'

const SDK_DIR = resolve(import.meta.dirname, 'dd')

/** The SDK as one browser script. */
export async function buildDdScript(): Promise<string> {
  const result = await build({
    entryPoints: [join(SDK_DIR, 'index.ts')],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    write: false,
    legalComments: 'none',
  })
  return result.outputFiles[0]!.text
}

/** The SDK's types as a declaration file: types.ts is types only, so it is one already. */
export async function ddDeclarations(): Promise<string> {
  const types = await readFile(join(SDK_DIR, 'types.ts'), 'utf8')
  return `${types}\ndeclare global {\n  interface Window {\n    dd: Dd\n  }\n}\n`
}

export async function writeDdSdk(outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true })
  await writeFile(join(outDir, 'dd.js'), await buildDdScript())
  await writeFile(join(outDir, 'dd.d.ts'), await ddDeclarations())
}
