// The local certificate authority and the server certificate it signs. Made on first start in the
// data folder and reused afterwards; clients trust ca.pem and always verify the server.
import 'reflect-metadata'
import { existsSync } from 'node:fs'
import { chmod, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { randomBytes, webcrypto } from 'node:crypto'
import * as x509 from '@peculiar/x509'
import { createLogger } from '../../shared/logger'

x509.cryptoProvider.set(webcrypto)

type CryptoKey = webcrypto.CryptoKey
type CryptoKeyPair = webcrypto.CryptoKeyPair

const log = createLogger('tls')

const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' }
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' }
const DAY_MS = 24 * 60 * 60 * 1000
const CA_LIFETIME_MS = 10 * 365 * DAY_MS
const SERVER_CERT_LIFETIME_MS = 365 * DAY_MS
/** A server certificate this close to expiry is replaced at start. */
const RENEW_BEFORE_MS = DAY_MS

export const CERTIFICATE_FILES = {
  caCert: 'ca.pem',
  caKey: 'ca-key.pem',
  serverCert: 'server.pem',
  serverKey: 'server-key.pem',
} as const

export interface ServerCredentials {
  caPem: string
  caPath: string
  certPem: string
  keyPem: string
}

interface Authority {
  cert: x509.X509Certificate
  privateKey: CryptoKey
}

/** Loads the CA and server certificate from `dataDir`, making or renewing what is missing. */
export async function ensureCertificates(
  dataDir: string,
  now = new Date(),
): Promise<ServerCredentials> {
  const authority = await loadOrCreateAuthority(dataDir, now)
  const server = await loadOrIssueServerCertificate(dataDir, authority, now)
  return {
    caPem: authority.cert.toString('pem'),
    caPath: join(dataDir, CERTIFICATE_FILES.caCert),
    certPem: server.certPem,
    keyPem: server.keyPem,
  }
}

async function loadOrCreateAuthority(dataDir: string, now: Date): Promise<Authority> {
  const certPath = join(dataDir, CERTIFICATE_FILES.caCert)
  const keyPath = join(dataDir, CERTIFICATE_FILES.caKey)
  if (existsSync(certPath) && existsSync(keyPath)) {
    const cert = new x509.X509Certificate(await readFile(certPath, 'utf8'))
    const privateKey = await importPrivateKey(await readFile(keyPath, 'utf8'))
    return { cert, privateKey }
  }

  const keys = await generateKeys()
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: 'CN=Tack Local CA, O=Tack',
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + CA_LIFETIME_MS),
    signingAlgorithm: SIGNING_ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  await writePrivateKey(keyPath, keys.privateKey)
  await writeFile(certPath, cert.toString('pem'))
  log.info({ path: certPath }, 'certificate authority created')
  return { cert, privateKey: keys.privateKey }
}

async function loadOrIssueServerCertificate(
  dataDir: string,
  authority: Authority,
  now: Date,
): Promise<{ certPem: string; keyPem: string }> {
  const certPath = join(dataDir, CERTIFICATE_FILES.serverCert)
  const keyPath = join(dataDir, CERTIFICATE_FILES.serverKey)
  if (existsSync(certPath) && existsSync(keyPath)) {
    const certPem = await readFile(certPath, 'utf8')
    const keyPem = await readFile(keyPath, 'utf8')
    const reason = await reasonToReissue(new x509.X509Certificate(certPem), authority, now)
    if (!reason) return { certPem, keyPem }
    log.info({ reason }, 'server certificate replaced')
  }

  const keys = await generateKeys()
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: 'CN=localhost, O=Tack',
    issuer: authority.cert.subject,
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + SERVER_CERT_LIFETIME_MS),
    signingAlgorithm: SIGNING_ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: authority.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(authority.cert.publicKey),
    ],
  })
  const keyPem = await writePrivateKey(keyPath, keys.privateKey)
  const certPem = cert.toString('pem')
  await writeFile(certPath, certPem)
  log.info({ path: certPath, notAfter: cert.notAfter.toISOString() }, 'server certificate issued')
  return { certPem, keyPem }
}

async function reasonToReissue(
  cert: x509.X509Certificate,
  authority: Authority,
  now: Date,
): Promise<string | undefined> {
  if (cert.notAfter.getTime() - RENEW_BEFORE_MS <= now.getTime()) return 'expired'
  const signedByAuthority = await cert.verify({
    publicKey: authority.cert.publicKey,
    signatureOnly: true,
  })
  return signedByAuthority ? undefined : 'signed by another authority'
}

function generateKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(KEY_ALGORITHM, true, [
    'sign',
    'verify',
  ]) as Promise<CryptoKeyPair>
}

async function importPrivateKey(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem)
  return webcrypto.subtle.importKey('pkcs8', der, KEY_ALGORITHM, false, ['sign'])
}

/** Writes the key as PKCS#8 PEM readable by the owner only; returns the PEM. */
async function writePrivateKey(path: string, key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key)
  const pem = x509.PemConverter.encode(der, 'PRIVATE KEY')
  await writeFile(path, pem, { mode: 0o600 })
  await chmod(path, 0o600)
  return pem
}

function randomSerial(): string {
  // A positive 16-byte serial: the top bit clear keeps the DER integer non-negative.
  const bytes = randomBytes(16)
  bytes[0] = bytes[0]! & 0x7f
  return bytes.toString('hex')
}
