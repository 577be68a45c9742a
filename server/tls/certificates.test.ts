import 'reflect-metadata'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as x509 from '@peculiar/x509'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeDataDir, removeDataDir } from '../test/harness'
import { ensureCertificates } from './certificates'

describe('certificates', () => {
  let dataDir: string
  beforeEach(async () => {
    dataDir = await makeDataDir()
  })
  afterEach(async () => {
    await removeDataDir(dataDir)
  })

  it('issues a server certificate for localhost, 127.0.0.1 and ::1 signed by the CA', async () => {
    const credentials = await ensureCertificates(dataDir)

    const cert = new x509.X509Certificate(credentials.certPem)
    const ca = new x509.X509Certificate(credentials.caPem)
    const names = cert.getExtension(x509.SubjectAlternativeNameExtension)!.names.toJSON()
    expect(names).toEqual([
      { type: 'dns', value: 'localhost' },
      { type: 'ip', value: '127.0.0.1' },
      { type: 'ip', value: '::1' },
    ])
    expect(await cert.verify({ publicKey: ca.publicKey, signatureOnly: true })).toBe(true)
    expect(cert.publicKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' })
  })

  it('replaces an expired server certificate and keeps the CA', async () => {
    const twoYearsAgo = new Date(Date.now() - 2 * 365 * 24 * 60 * 60 * 1000)
    const old = await ensureCertificates(dataDir, twoYearsAgo)

    const renewed = await ensureCertificates(dataDir)

    expect(renewed.caPem).toBe(old.caPem)
    expect(renewed.certPem).not.toBe(old.certPem)
    expect(new x509.X509Certificate(renewed.certPem).notAfter.getTime()).toBeGreaterThan(Date.now())
    expect(await readFile(join(dataDir, 'server.pem'), 'utf8')).toBe(renewed.certPem)
  })
})
