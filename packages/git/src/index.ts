export type {
  CredentialsResolver,
  CredentialsRule,
  GitCredentials,
  HttpsTokenCredentials,
  SshKeyCredentials,
} from "./credentials.ts";
export { credentialsByPrefix } from "./credentials.ts";
export { type CredentialsSources, credentialsFromFile, loadCredentialsRules } from "./credentials-config.ts";
export {
  FileNotFoundError,
  FileTooLargeError,
  GitAuthError,
  GitCommandError,
  GitUnreachableError,
  InvalidGitArgumentError,
  isFileNotFoundError,
  isFileTooLargeError,
  isGitAuthError,
  isGitSourceError,
  isGitUnreachableError,
  isInvalidGitArgumentError,
  isUnknownRevisionError,
  UnknownRevisionError,
} from "./errors.ts";
export type { RepoCacheOptions, ResolveOptions } from "./options.ts";
export { defaultRepoCacheOptions } from "./options.ts";
export { redactURL } from "./redact.ts";
export type { RepoCacheStats } from "./repo-cache.ts";
export { RepoCache } from "./repo-cache.ts";
export type { GitTransport, RepoLocation } from "./repo-url.ts";
export { parseRepoURL } from "./repo-url.ts";
