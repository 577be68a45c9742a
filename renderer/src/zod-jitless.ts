// Imported first by main.tsx, before any module builds a zod schema: zod's fast path compiles
// parsers with `new Function`, which our CSP forbids (no unsafe-eval). Even its probe for eval
// would be reported as a CSP violation, so it is switched off before the first schema exists.
import { z } from 'zod'

z.config({ jitless: true })
