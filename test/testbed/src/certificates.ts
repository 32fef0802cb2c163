import { execFile } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A certificate authority for one bed; it signs each API server's serving certificate. */
export interface CertificateAuthority {
  certFile: string;
  keyFile: string;
  certPem: string;
}

export interface ServingCertificate {
  certFile: string;
  keyFile: string;
}

/** The key pair an API server signs service-account tokens with (and the controller-manager too). */
export interface ServiceAccountKeys {
  privateKeyFile: string;
  publicKeyFile: string;
}

// EC P-256 keys: generated in milliseconds, where RSA 2048 takes a noticeable share of a ten-cluster start.
const keyArgs = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

async function openssl(args: string[]): Promise<void> {
  try {
    await run("openssl", args);
  } catch (error) {
    throw new Error(`openssl ${args.join(" ")} failed`, { cause: error });
  }
}

export async function createCertificateAuthority(dir: string): Promise<CertificateAuthority> {
  const certFile = join(dir, "ca.crt");
  const keyFile = join(dir, "ca.key");
  await openssl([
    "req",
    "-x509",
    ...keyArgs,
    "-keyout",
    keyFile,
    "-out",
    certFile,
    "-days",
    "7",
    "-subj",
    "/CN=flotilla-testbed-ca",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  return { certFile, keyFile, certPem: await readFile(certFile, "utf8") };
}

/** A serving certificate for an API server on 127.0.0.1, valid for a week (a test run is far shorter). */
export async function createServingCertificate(
  ca: CertificateAuthority,
  dir: string,
  commonName: string,
): Promise<ServingCertificate> {
  const certFile = join(dir, "apiserver.crt");
  const keyFile = join(dir, "apiserver.key");
  await openssl([
    "req",
    "-x509",
    "-CA",
    ca.certFile,
    "-CAkey",
    ca.keyFile,
    ...keyArgs,
    "-keyout",
    keyFile,
    "-out",
    certFile,
    "-days",
    "7",
    "-subj",
    `/CN=${commonName}`,
    "-addext",
    "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default.svc",
    "-addext",
    "basicConstraints=critical,CA:FALSE",
    "-addext",
    "extendedKeyUsage=serverAuth",
  ]);
  return { certFile, keyFile };
}

export async function createServiceAccountKeys(dir: string): Promise<ServiceAccountKeys> {
  const { privateKey, publicKey } = generateKeyPairSync("ec", {
    namedCurve: "P-256",
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const privateKeyFile = join(dir, "sa.key");
  const publicKeyFile = join(dir, "sa.pub");
  await writeFile(privateKeyFile, privateKey, { mode: 0o600 });
  await writeFile(publicKeyFile, publicKey);
  return { privateKeyFile, publicKeyFile };
}

/** A random bearer token for the API server's static token file. */
export function newToken(): string {
  return randomBytes(24).toString("hex");
}
